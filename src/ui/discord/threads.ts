/**
 * Live discussion threads: what people write in a thread Paperboy made for an article becomes a
 * comment of that article (edits update it, deletions remove it), and a message that mentions the
 * bot or replies to it gets an answer with cited passages. On start, replies written while the bot
 * was away are read from each thread after the last message it saw.
 */
import { type Client, Events, type Message, type OmitPartialGroupDMChannel, type PartialMessage } from 'discord.js';
import type Keyv from 'keyv';
import { answerQuestion, removeReply, storeReply } from '../../app/discussion/replies.ts';
import { type ThreadMessage, withoutBotMention } from '../../core/comments.ts';
import type { ThreadIndex } from '../../app/discussion/threads.ts';
import type { Logger } from '../../core/log.ts';
import { claimKey } from '../../adapters/store/kv.ts';
import type { Store } from '../../adapters/store/contract.ts';
import { renderAnswer } from './render.ts';

/** One answer per person per thread in this time; more would let one person flood a thread. */
export const ANSWER_COOLDOWN_MS = 30_000;

/** The reaction on a question not answered because of the cooldown, so the asker knows it was seen. */
export const COOLDOWN_REACTION = '⏳';

export interface ThreadWatchOptions {
  readonly client: Client;
  readonly store: Store;
  readonly index: ThreadIndex;
  /** Remembers who was answered when (entries expire with the cooldown); claimed atomically. */
  readonly cooldowns: Keyv;
  readonly log: Logger;
  readonly cooldownMs?: number;
}

type AnyMessage = OmitPartialGroupDMChannel<Message | PartialMessage>;

function threadMessage(m: Message): ThreadMessage {
  return {
    id: m.id,
    authorId: m.author.id,
    authorName: m.member?.displayName ?? m.author.globalName ?? m.author.username,
    content: m.content,
    createdAt: m.createdAt.toISOString(),
    replyToId: m.reference?.messageId ?? null,
  };
}

export function watchThreads(options: ThreadWatchOptions): { catchUp(): Promise<number> } {
  const { client, store, index, log } = options;
  const cooldownMs = options.cooldownMs ?? ANSWER_COOLDOWN_MS;
  const botId = (): string => client.user?.id ?? '';

  async function answer(m: Message, articleId: string): Promise<void> {
    // Claimed in one step: two handlers (or two processes) reading then writing could both answer.
    if (!(await claimKey(options.cooldowns, `${m.channelId}:${m.author.id}`, cooldownMs))) {
      log.debug({ thread: m.channelId, user: m.author.id, message: m.id }, 'not answering: asked again within the cooldown');
      await m.react(COOLDOWN_REACTION).catch((error: unknown) => {
        // Without Add Reactions (or Read Message History) the asker gets no sign; say why in the log.
        log.warn({ err: error, thread: m.channelId, message: m.id }, 'could not react to a question asked within the cooldown');
      });
      return;
    }
    const text = await answerQuestion(store, articleId, withoutBotMention(m.content, botId()), m.author.id);
    if (text === null) return;
    // A resend (discord.js retries a 5xx itself) carries the same nonce: Discord returns the answer already made.
    await m.reply(renderAnswer(text, m.id));
  }

  /** Returns whether the message was stored as a comment. */
  async function onCreate(m: Message, live: boolean): Promise<boolean> {
    if (!m.inGuild() || !m.channel.isThread()) return false;
    const thread = await index.get(m.channelId);
    if (!thread) return false;
    await index.advance(m.channelId, m.id);
    // Its own posts, other bots and system notices are not discussion.
    if (m.author.id === botId() || m.author.bot || m.system) return false;
    const stored = await storeReply(store, thread.articleId, threadMessage(m), botId());
    const addressed = m.mentions.users.has(botId()) || m.mentions.repliedUser?.id === botId();
    log.debug({ thread: m.channelId, message: m.id, stored, addressed }, 'thread reply');
    if (live && addressed) await answer(m, thread.articleId);
    return stored;
  }

  async function onUpdate(m: AnyMessage): Promise<void> {
    const thread = await index.get(m.channelId);
    if (!thread) return;
    const full = m.partial ? await m.fetch() : m;
    if (full.author.id === botId() || full.author.bot) return;
    await storeReply(store, thread.articleId, threadMessage(full), botId());
  }

  async function onDelete(m: AnyMessage): Promise<void> {
    const thread = await index.get(m.channelId);
    if (thread) await removeReply(store, thread.articleId, m.id);
  }

  const guard =
    <A extends unknown[]>(what: string, fn: (...args: A) => Promise<void>) =>
    (...args: A): void =>
      void fn(...args).catch((error: unknown) => log.error({ err: error }, `thread ${what} failed`));
  client.on(
    Events.MessageCreate,
    guard('reply', async (m: Message) => {
      await onCreate(m, true);
    }),
  );
  client.on(
    Events.MessageUpdate,
    guard('edit', (_old: AnyMessage, m: AnyMessage) => onUpdate(m)),
  );
  client.on(
    Events.MessageDelete,
    guard('deletion', (m: AnyMessage) => onDelete(m)),
  );

  return {
    /** Reads every article thread after the last message seen; returns how many replies were stored. */
    async catchUp() {
      let stored = 0;
      for (const t of await index.list()) {
        try {
          const channel = await client.channels.fetch(t.threadId);
          if (!channel?.isThread()) continue;
          let after = t.lastMessageId ?? t.threadId;
          for (;;) {
            const page = [...(await channel.messages.fetch({ after, limit: 100 })).values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
            for (const m of page) if (await onCreate(m, false)) stored++;
            const last = page.at(-1);
            if (!last || page.length < 100) break;
            after = last.id;
          }
        } catch (error) {
          log.warn({ err: error, thread: t.threadId }, 'could not read a thread to catch up');
        }
      }
      return stored;
    },
  };
}
