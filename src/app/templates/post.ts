/**
 * An article's post as the engine sends it, shaped by a subscription's template: the content and
 * the embed's title and description come from the template; the fields, the link and the footer
 * do not. The footer carries the article id, by which delivery recognises its post in a channel
 * after a crash, so no template can change it.
 */
import type { Article } from '../../core/model.ts';
import type { PostTemplate } from '../../core/subscription-options.ts';
import type { MessageView } from '../../core/view.ts';
import { articleFields } from '../views/format.ts';
import { renderPost } from './fields.ts';

/** The footer carries the article id: how a post is recognised in a channel after a crash. */
export function postFooter(articleId: string): string {
  return `Paperboy · article ${articleId}`;
}

export interface PostView {
  readonly post: MessageView;
  /** On one line; the poster cuts it to the length Discord allows. */
  readonly threadName: string;
}

/**
 * The post and thread name of `article` under `template` (none: today's post). Whatever the article
 * holds, the renderer cuts each text to its limit and the embed to Discord's total, and keeps only
 * an http(s) URL: a post that cannot fit would be refused on every run.
 */
export function postView(article: Article, template: PostTemplate | null | undefined): PostView {
  const { content, title, description, threadName } = renderPost(template ?? {}, article);
  const embed = { title, description, fields: articleFields(article), footer: postFooter(article.id), url: article.url };
  return { post: content === undefined ? { embeds: [embed] } : { content, embeds: [embed] }, threadName };
}
