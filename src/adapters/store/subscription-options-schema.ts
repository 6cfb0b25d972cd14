/**
 * Subscription options added with issue 16, for both backends: `follow_discussions` is whether the
 * discussions of the articles a subscription delivers are followed at their source. NULL when the
 * subscription was stored without the option (read back absent, which means no), else 0 or 1.
 */
export const sqliteSubscriptionOptions = `ALTER TABLE subscriptions ADD COLUMN follow_discussions INTEGER CHECK (follow_discussions IN (0, 1));`;
export const postgresSubscriptionOptions = `ALTER TABLE subscriptions ADD COLUMN follow_discussions INTEGER CHECK (follow_discussions IN (0, 1));`;
