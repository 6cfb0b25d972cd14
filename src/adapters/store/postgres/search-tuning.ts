/** Search tuning at 100,000 articles (issue 15): placeholder migration, PostgreSQL 12. */
export const searchTuning = `SELECT 1;`;
