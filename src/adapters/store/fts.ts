/**
 * Keeps the external-content FTS5 tables in step with the articles and comments tables. Every
 * write to those tables goes through here, inside the caller's transaction; an external-content
 * delete must be given the old values, which is why callers pass the row as it was.
 */
import type { Db } from './db.ts';

export interface FtsWriter {
  addArticle(rowid: number, title: string, body: string): void;
  removeArticle(rowid: number, title: string, body: string): void;
  addComment(rowid: number, text: string): void;
  removeComment(rowid: number, text: string): void;
}

export function ftsWriter(db: Db): FtsWriter {
  const addArticle = db.prepare<[number, string, string]>('INSERT INTO articles_fts (rowid, title, body_text) VALUES (?, ?, ?)');
  const addTitle = db.prepare<[number, string]>('INSERT INTO titles_fts (rowid, title) VALUES (?, ?)');
  const removeArticle = db.prepare<[number, string, string]>("INSERT INTO articles_fts (articles_fts, rowid, title, body_text) VALUES ('delete', ?, ?, ?)");
  const removeTitle = db.prepare<[number, string]>("INSERT INTO titles_fts (titles_fts, rowid, title) VALUES ('delete', ?, ?)");
  const addComment = db.prepare<[number, string]>('INSERT INTO comments_fts (rowid, text) VALUES (?, ?)');
  const removeComment = db.prepare<[number, string]>("INSERT INTO comments_fts (comments_fts, rowid, text) VALUES ('delete', ?, ?)");
  return {
    addArticle(rowid, title, body) {
      addArticle.run(rowid, title, body);
      addTitle.run(rowid, title);
    },
    removeArticle(rowid, title, body) {
      removeArticle.run(rowid, title, body);
      removeTitle.run(rowid, title);
    },
    addComment: (rowid, text) => void addComment.run(rowid, text),
    removeComment: (rowid, text) => void removeComment.run(rowid, text),
  };
}
