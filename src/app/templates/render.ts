/**
 * Post templates (issue 17): CONTRACT STUB, replaced by the template work. Renders a subscription's
 * template into the post's view and its thread's name, and checks a template on save.
 */
import type { Article } from '../../core/model.ts';
import type { PostTemplate } from '../../core/subscription-options.ts';

export interface TemplateProblem {
  /** The template field: content, title, description, threadName, dateFormat, timezone, locale. */
  readonly field: keyof PostTemplate;
  readonly reason: string;
}

/** What is wrong with `template` when rendered with `article` against Discord's limits; empty when nothing. STUB. */
export function checkTemplate(template: PostTemplate, article: Article): TemplateProblem[] {
  void template;
  void article;
  return [];
}
