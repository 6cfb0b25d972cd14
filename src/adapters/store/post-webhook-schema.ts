/**
 * Who made each post (issue 17's webhooks; SQLite migration 14, PostgreSQL 13): the id of the bot's
 * webhook that made it, NULL when the bot did. A post is edited the way it was made, whatever the
 * subscription's settings say since; rows from before stay NULL, the bot's, as every post was then.
 */
export const sqlitePostWebhook = `ALTER TABLE delivery_progress ADD COLUMN post_webhook_id TEXT;`;
export const postgresPostWebhook = `ALTER TABLE delivery_progress ADD COLUMN post_webhook_id TEXT;`;
