/**
 * Discord's limits a template is checked against on save. The renderer (src/ui/discord/limits.ts)
 * owns Discord's limits and cuts whatever is over at delivery time; the application layer may not
 * import it (the layer rule), so the few numbers a template check needs are repeated here, and
 * test/template-limits.test.ts holds them equal to the renderer's.
 */
export const POST_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  threadName: 100,
  /** All texts of an embed together: title, description, field names and values, footer. */
  embedTotal: 6000,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
} as const;
