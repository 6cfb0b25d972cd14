/**
 * The bot's storage in SQLite, in the article database's file: the four repositories of its lasting
 * state, and keyv for its short-lived state. The bot opens no storage itself; its composition
 * (src/main.ts, the playground, a test) picks this or another backend of the same shape.
 */
import type Keyv from 'keyv';
import type { Logger } from '../../core/log.ts';
import { openKeyv } from './kv.ts';
import { type BotState, openBotState } from './state.ts';
import type { ArticleStore } from './store.ts';

export interface SqliteBotStorage {
  readonly state: BotState;
  readonly keyv: { readonly buttons: Keyv; readonly cooldowns: Keyv };
}

/** With `log`, each record of an older Paperboy's state that could not be migrated is named in a warning (openBotState). */
export function sqliteBotStorage(store: ArticleStore, log?: Logger): SqliteBotStorage {
  return {
    state: openBotState(store.db, log),
    // The namespaces of earlier releases: another name would forget every live button and cooldown.
    keyv: { buttons: openKeyv(store.db, 'bot'), cooldowns: openKeyv(store.db, 'cooldowns') },
  };
}
