/**
 * What delivery records of the messages it made, so that a reply is posted as a Discord reply to
 * its parent's message and an edit at the source edits the message (issue 16), for both backends.
 * One row per channel, article and step (`c:<comment id>:<part>`, or `more:<step>` for the note
 * that ends a capped run), written with the step's progress in one transaction. `thread_id` says
 * which thread the message is in: an article posted afresh (its post or thread deleted) gets a new
 * thread, and the rows of the old one are then ignored. `digest` is the step's text as sent, so a
 * change at the source is seen and edited once.
 */
export const sqliteDeliveryMessages = `CREATE TABLE delivery_messages (
  channel_id TEXT NOT NULL,
  article_id TEXT NOT NULL,
  step_key TEXT NOT NULL,
  thread_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  digest TEXT NOT NULL,
  PRIMARY KEY (channel_id, article_id, step_key)
) WITHOUT ROWID;`;

export const postgresDeliveryMessages = `CREATE TABLE delivery_messages (
  channel_id TEXT NOT NULL,
  article_id TEXT NOT NULL,
  step_key TEXT NOT NULL,
  thread_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  digest TEXT NOT NULL,
  PRIMARY KEY (channel_id, article_id, step_key)
);`;
