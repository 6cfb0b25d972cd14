/**
 * Which Discord threads are article discussions: the delivery engine records each thread it makes
 * (keyv, so every process knows), and the live-thread side reads it. A thread Paperboy did not
 * make is not in here, and nothing from it is stored.
 */
import type Keyv from 'keyv';
import { keyvValues } from '../../adapters/store/kv.ts';

export interface ArticleThread {
  readonly threadId: string;
  readonly articleId: string;
  readonly guildId: string;
  /** The channel or forum the thread is in. */
  readonly parentId: string;
  /** The newest message read from the thread: a restart reads on from here. */
  readonly lastMessageId: string | null;
}

export class ThreadIndex {
  constructor(private readonly keyv: Keyv) {}

  async get(threadId: string): Promise<ArticleThread | null> {
    return ((await this.keyv.get(threadId)) as ArticleThread | undefined) ?? null;
  }

  async put(thread: ArticleThread): Promise<void> {
    await this.keyv.set(thread.threadId, thread);
  }

  /** Records that `messageId` was read, if it is newer than what was. */
  async advance(threadId: string, messageId: string): Promise<void> {
    const t = await this.get(threadId);
    if (t && (t.lastMessageId === null || BigInt(messageId) > BigInt(t.lastMessageId))) await this.put({ ...t, lastMessageId: messageId });
  }

  async list(): Promise<ArticleThread[]> {
    return keyvValues<ArticleThread>(this.keyv, 'threads');
  }
}
