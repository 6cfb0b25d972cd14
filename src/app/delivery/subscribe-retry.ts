/** Having a channel's set-aside articles tried again: the use case behind /subscriptions retry. */
import { type SetAside, setAsideOf, type Subscription, type Subscriptions } from './subscriptions.ts';

export type RetryOutcome =
  | { readonly outcome: 'no-subscription' }
  | { readonly outcome: 'nothing-set-aside' }
  /** `list` as it was before the retry was asked. */
  | { readonly outcome: 'retrying'; readonly sub: Subscription; readonly list: readonly SetAside[] };

/** Marks a channel's set-aside articles to be delivered again by the next run. */
export async function retrySetAside(subscriptions: Subscriptions, guildId: string, channelId: string): Promise<RetryOutcome> {
  const sub = await subscriptions.get(guildId, channelId);
  if (!sub) return { outcome: 'no-subscription' };
  const list = setAsideOf(sub);
  if (list.length === 0) return { outcome: 'nothing-set-aside' };
  await subscriptions.update(sub, (s) => ({ ...s, setAside: setAsideOf(s).map((e) => ({ ...e, retry: true })) }));
  return { outcome: 'retrying', sub, list };
}
