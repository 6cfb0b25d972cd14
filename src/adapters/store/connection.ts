/**
 * The type of an open SQLite connection, on its own so that the migrations and the repositories
 * they use can name it without importing db.ts, which imports them.
 */
import type Database from 'better-sqlite3';

export type Db = Database.Database;
