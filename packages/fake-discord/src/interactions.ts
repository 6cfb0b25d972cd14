/**
 * Interactions a user started: their 3 s window for the first callback, their 15 min token, every
 * callback and follow-up, and the test-side handle that waits for what the user gets to see.
 */
import type { InteractionResponseType, InteractionType } from 'discord-api-types/v10';
import { copyOut } from './messages.ts';
import type { FakeState } from './state.ts';
import type { CallbackRecord, Choice, FakeMessage, InteractionHandle, InteractionReply } from './types.ts';

export interface InteractionRecord {
  readonly id: string;
  readonly token: string;
  readonly type: InteractionType;
  readonly guildId: string;
  readonly channelId: string;
  readonly userId: string;
  /** `/name` for commands, the custom id for components: how errors name it. */
  readonly label: string;
  readonly createdAt: number;
  /** The message a component sits on. */
  readonly sourceMessageId?: string;
  /** The callback type that acknowledged it, once one did. */
  acknowledgedWith: InteractionResponseType | null;
  /** The message @original refers to, once there is one. */
  originalId?: string;
  readonly callbacks: CallbackRecord[];
  readonly followUpIds: string[];
  visible?: InteractionReply;
  choices?: Choice[];
  deadlineTimer?: NodeJS.Timeout;
  readonly replyWaiters: Set<() => void>;
  readonly choiceWaiters: Set<() => void>;
}

export class InteractionRegistry {
  readonly #byId = new Map<string, InteractionRecord>();
  readonly #byToken = new Map<string, InteractionRecord>();
  #closed = false;

  constructor(
    private readonly state: FakeState,
    private readonly deadlineMs: number,
    private readonly tokenLifetimeMs: number,
    /** Called when an interaction's window passes without any callback. */
    private readonly onMissedDeadline: (record: InteractionRecord) => void,
  ) {}

  create(input: Omit<InteractionRecord, 'acknowledgedWith' | 'callbacks' | 'followUpIds' | 'replyWaiters' | 'choiceWaiters' | 'createdAt'>): InteractionRecord {
    const record: InteractionRecord = {
      ...input,
      createdAt: Date.now(),
      acknowledgedWith: null,
      callbacks: [],
      followUpIds: [],
      replyWaiters: new Set(),
      choiceWaiters: new Set(),
    };
    record.deadlineTimer = setTimeout(() => {
      if (record.acknowledgedWith === null) this.onMissedDeadline(record);
    }, this.deadlineMs);
    record.deadlineTimer.unref();
    this.#byId.set(record.id, record);
    this.#byToken.set(record.token, record);
    return record;
  }

  byId(id: string): InteractionRecord | undefined {
    return this.#byId.get(id);
  }

  byToken(token: string): InteractionRecord | undefined {
    return this.#byToken.get(token);
  }

  /** Whether the first callback may still come. */
  withinDeadline(record: InteractionRecord): boolean {
    return Date.now() - record.createdAt <= this.deadlineMs;
  }

  /** Whether follow-ups and edits still work. */
  tokenAlive(record: InteractionRecord): boolean {
    return Date.now() - record.createdAt <= this.tokenLifetimeMs;
  }

  acknowledge(record: InteractionRecord, type: InteractionResponseType): void {
    record.acknowledgedWith = type;
    clearTimeout(record.deadlineTimer);
  }

  /** Records the first thing the user sees; later calls change nothing. */
  showReply(record: InteractionRecord, reply: InteractionReply): void {
    if (record.visible) return;
    record.visible = reply;
    for (const wake of record.replyWaiters) wake();
  }

  showChoices(record: InteractionRecord, choices: Choice[]): void {
    record.choices = choices;
    for (const wake of record.choiceWaiters) wake();
  }

  /** Stops every timer; waiting handles reject. */
  close(): void {
    for (const record of this.#byId.values()) {
      clearTimeout(record.deadlineTimer);
      for (const wake of [...record.replyWaiters, ...record.choiceWaiters]) wake();
    }
    this.#closed = true;
  }

  handle(record: InteractionRecord): InteractionHandle {
    const state = this.state;
    const message = (id: string | undefined): FakeMessage | undefined => {
      const stored = id === undefined ? undefined : state.messages.get(id);
      return stored ? copyOut(stored.message) : undefined;
    };
    return {
      id: record.id,
      token: record.token,
      reply: (timeoutMs = 5000) => this.#wait(record, record.replyWaiters, () => record.visible, timeoutMs, 'reply'),
      choices: (timeoutMs = 5000) => this.#wait(record, record.choiceWaiters, () => record.choices, timeoutMs, 'autocomplete choices'),
      get callbacks() {
        return record.callbacks;
      },
      get followUps() {
        return record.followUpIds.flatMap((id) => message(id) ?? []);
      },
      original: () => message(record.originalId),
    };
  }

  #wait<T>(record: InteractionRecord, waiters: Set<() => void>, current: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const now = current();
    if (now !== undefined) return Promise.resolve(structuredClone(now));
    return new Promise<T>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(done);
        const value = current();
        if (value !== undefined) resolve(structuredClone(value));
        else reject(new Error(`FakeDiscord: interaction ${record.id} (${record.label}) was closed before any ${what}`));
      };
      const timer = setTimeout(() => {
        waiters.delete(done);
        const made = record.callbacks.map((c) => `type ${c.type} → ${c.status}`).join(', ') || 'none';
        reject(new Error(`FakeDiscord: interaction ${record.id} (${record.label}) got no ${what} within ${timeoutMs} ms (callbacks: ${made})`));
      }, timeoutMs);
      if (this.#closed) done();
      else waiters.add(done);
    });
  }
}
