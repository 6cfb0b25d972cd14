/**
 * Who made a post, as delivery progress keeps it on SQLite and PostgreSQL: the webhook's id for a
 * post made through the bot's webhook, nothing for the bot's own (and for every record from before),
 * through put and get, a step's write, and `paperboy copy`'s page and putMany.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryProgress } from '../src/core/state.ts';
import { type OpenedState, stateBackends } from './helpers/state-backends.ts';

const progress = (extra: Partial<DeliveryProgress> = {}): DeliveryProgress => ({
  postId: '1100',
  threadId: '1100',
  postHash: 'h',
  bodyHash: 'b',
  done: [],
  lastId: null,
  complete: true,
  ...extra,
});

describe.each(Object.keys(stateBackends))('GIVEN delivery progress on %s', (backend) => {
  let opened: OpenedState;
  beforeAll(async () => {
    opened = await stateBackends[backend]!();
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('THEN a post by a webhook keeps its id and one by the bot keeps none, whichever way it is written', async () => {
    const { state, other } = opened;
    const byHook = progress({ via: { webhookId: '1577379065978032128' } });
    const byBot = progress();
    await state.progress.put('7', 'hook', byHook);
    await state.progress.put('7', 'bot', byBot);
    expect(await other.progress.get('7', 'hook')).toStrictEqual(byHook);
    expect(await other.progress.get('7', 'bot')).toStrictEqual(byBot);
    // Posted again by the bot after the webhook was unset (a repost): the webhook's id goes.
    await state.progress.put('7', 'hook', byBot);
    expect(await state.progress.get('7', 'hook')).toStrictEqual(byBot);
    const stepped = { ...byHook, done: ['c:n1:0'] };
    await state.progress.putStep('7', 'stepped', stepped, { key: 'c:n1:0', threadId: '1100', messageId: '1200', digest: 'd' });
    expect(await other.progress.get('7', 'stepped')).toStrictEqual(stepped);
    const page = await state.progress.page(null, 100);
    await other.progress.putMany(page.map((r) => ({ ...r, channelId: '8' })));
    expect(await state.progress.get('8', 'stepped')).toStrictEqual(stepped);
    expect(await state.progress.get('8', 'bot')).toStrictEqual(byBot);
  });

  it('THEN a stored webhook id that is not an id is refused on reading, naming the row', async () => {
    await opened.exec("UPDATE delivery_progress SET post_webhook_id = $1 WHERE channel_id = '7' AND article_id = 'bot'", ['not-an-id']);
    await expect(opened.state.progress.get('7', 'bot')).rejects.toThrow(/delivery_progress row 7\/bot is not valid: via\.webhookId/);
  });
});
