/**
 * What delivery records of the messages it made, so that a reply is posted as a Discord reply to
 * its parent's message (issue 16), for both backends. Until it is written, each is a statement that
 * changes nothing.
 */
export const sqliteDeliveryMessages = `SELECT 1;`;
export const postgresDeliveryMessages = `SELECT 1;`;
