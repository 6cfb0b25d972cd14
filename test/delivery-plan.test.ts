/**
 * A dry run says what a run would do with every article, and an article that cannot be laid out
 * as messages (which a run sets aside and goes past) is listed as set aside with its reason, not
 * a failure of the whole subscription's dry run. The engine against the local Discord.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deliverView } from '../commands/deliver.ts';
import type { Article } from '../src/core/model.ts';
import { article, comment } from './helpers/articles.ts';
import { checkDelivered, type EngineHarness, startEngine } from './helpers/delivery.ts';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('GIVEN three due articles, the middle one impossible to lay out as messages', () => {
  it('THEN the dry run lists all three, that one as set aside with its reason, and the run does just that', async () => {
    h = await startEngine();
    const t = h.target();
    const first = article({ title: 'Tide tables', comments: [comment(1, 'Useful.')] });
    const good = article({ title: 'Market day', comments: [comment(1, 'Busy.')] });
    // A comment without paragraphs: planning it throws, as any article that cannot be laid out does.
    const broken = { ...good, id: 'b'.repeat(16), title: 'Garbled import', comments: [{ ...comment(1, 'x'), paragraphs: undefined }] } as unknown as Article;
    const last = article({ title: 'Night bus', comments: [comment(1, 'Finally.')] });

    const plan = await h.engine.plan(t, [first, broken, last]);
    expect(plan.map((w) => [w.title, w.action, w.messages])).toEqual([
      ['Tide tables', 'post', 2],
      ['Garbled import', 'post', 0],
      ['Night bus', 'post', 2],
    ]);
    expect(plan[1]?.setAside).toMatch(/^it could not be laid out as messages: /);
    const shown =
      deliverView([{ channelId: t.channelId, channelName: 'news', created: 0, articles: 3, error: null, paused: null, plan }], true).embeds?.[0]?.description ??
      '';
    expect(shown).toContain('• set aside “Garbled import”: it could not be laid out as messages: ');

    const report = await h.engine.deliver(t, [first, broken, last]);
    const result = (id: string) => report.results.find((r) => r.articleId === id);
    expect(result(first.id)).toMatchObject({ error: null });
    expect(result(broken.id)).toMatchObject({ setAside: true, error: plan[1]?.setAside });
    expect(result(last.id)).toMatchObject({ error: null });
    expect(checkDelivered(h.fake, t, [first, last])).toEqual([]);
  });
});
