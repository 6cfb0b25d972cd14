/**
 * Which Discord threads are article discussions: the delivery engine records each thread it makes
 * (in the database, so every process knows: src/adapters/store/threads.ts), and the live-thread
 * side reads it. A thread Paperboy did not make is not in here, and nothing from it is stored.
 */
import type { ArticleThread } from '../../core/state.ts';
import type { ThreadRepository } from '../../adapters/store/threads.ts';

export type { ArticleThread };

export class ThreadIndex {
  constructor(private readonly repo: ThreadRepository) {}

  async get(threadId: string): Promise<ArticleThread | null> {
    return this.repo.get(threadId);
  }

  async put(thread: ArticleThread): Promise<void> {
    await this.repo.put(thread);
  }

  /** Records that `messageId` was read, if it is newer than what was. */
  async advance(threadId: string, messageId: string): Promise<void> {
    await this.repo.advance(threadId, messageId);
  }

  async list(): Promise<ArticleThread[]> {
    return this.repo.list();
  }
}
