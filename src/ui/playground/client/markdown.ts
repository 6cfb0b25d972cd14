/**
 * Discord's markdown as HTML, for the playground's message list. Every character of the source
 * reaches the page HTML-escaped; the only markup is what this file writes, and links are made only
 * for http(s) URLs. Written as a one-pass scanner (code fences found first, then lines, then
 * inline marks paired on a stack, CommonMark-style) rather than regex replaces, so hostile input
 * (thousands of unclosed markers) costs linear time: no scan ever starts again from the same place.
 */

export interface MarkdownContext {
  userName(id: string): string | undefined;
  channelName(id: string): string | undefined;
}

export interface MarkdownOptions {
  /**
   * An embed field value. Discord draws headings in embed descriptions (which it treats as a
   * stand-in for content) but not in field values (discord-api-docs#7167), so here `# ` stays text.
   */
  embed?: boolean;
  /** An embed title or field name: inline marks only, no quotes, headings, lists or links. */
  inline?: boolean;
}

interface Fence {
  readonly end: number;
  readonly lang: string;
  readonly body: string;
}
interface Env {
  readonly src: string;
  readonly fences: ReadonlyMap<number, Fence>;
  readonly ctx: MarkdownContext;
}

/**
 * A run of `*`, `_`, `~` or `|`, standing in `out` at index `at` as literal text until closers use
 * it up (`count` shrinks); `open1`: whether one character of it may open emphasis.
 */
interface Run {
  readonly ch: string;
  count: number;
  readonly open1: boolean;
  readonly at: number;
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML[c] ?? c);
const text = (item: string | Run): string => (typeof item === 'string' ? item : item.ch.repeat(item.count));
const WS = /\s/;
const WORD = /\w/;
/** Characters that may start something; everything else is copied in chunks. */
const PLAIN = /[^\\`*_~|[<@h\n]+/y;
// Anchored (sticky) patterns with bounded repetition: each is tried once at a position.
const TAGS =
  /<(?:@!?(\d{1,20})|@&(\d{1,20})|#(\d{1,20})|t:(-?\d{1,13})(?::([tTdDfFR]))?|a?:(\w{1,32}):\d{1,20}|\/([\w-]{1,32}(?: [\w-]{1,32}){0,2}):\d{1,20}|(https?:\/\/[^\s<>]+))>/y;
// Discord's autolink: no trailing punctuation; trailing marks are left to close a bold or spoiler.
const URL_AT = /https?:\/\/[^\s<]*[^<.,:;"')\]\s*~|]/y;
/** What one and two characters of each mark make: [open, close] tags. */
const TAGS_OF: Record<string, [[string, string], [string, string]]> = {
  '*': [
    ['<em>', '</em>'],
    ['<strong>', '</strong>'],
  ],
  _: [
    ['<em>', '</em>'],
    ['<u>', '</u>'],
  ],
  '~': [
    ['~', ''],
    ['<s>', '</s>'],
  ],
  '|': [
    ['|', ''],
    ['<span class="spoiler" tabindex="0">', '</span>'],
  ],
};

/** The href for `raw` if it is an http(s) URL, normalised (quotes and spaces percent-encoded). */
function safeUrl(raw: string): string | null {
  if (!/^https?:\/\//i.test(raw)) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const anchor = (href: string, inner: string): string => `<a href="${esc(href)}" rel="noopener noreferrer" target="_blank" title="${esc(href)}">${inner}</a>`;
const mention = (label: string): string => `<span class="mention">${esc(label)}</span>`;

/** `<https://…>`: a link that Discord does not preview; outside link contexts, just the URL. */
function bracketed(url: string, links: boolean): string | null {
  const href = safeUrl(url);
  return href === null ? null : links ? anchor(href, esc(url)) : esc(url);
}

const TIME_STYLES: Record<string, Intl.DateTimeFormatOptions> = {
  t: { timeStyle: 'short' },
  T: { timeStyle: 'medium' },
  d: { dateStyle: 'short' },
  D: { dateStyle: 'long' },
  f: { dateStyle: 'long', timeStyle: 'short' },
  F: { dateStyle: 'full', timeStyle: 'short' },
};
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['day', 86_400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** `<t:unix:style>` in the reader's locale and time zone, as Discord shows it; null if not a date. */
function timestamp(unix: string, style: string): string | null {
  const date = new Date(Number(unix) * 1000);
  if (Number.isNaN(date.getTime())) return null;
  let shown = date.toLocaleString(undefined, TIME_STYLES[style] ?? TIME_STYLES.f);
  if (style === 'R') {
    const seconds = (date.getTime() - Date.now()) / 1000;
    const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? ['second', 1];
    shown = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(Math.round(seconds / size), unit);
  }
  const full = date.toLocaleString(undefined, TIME_STYLES.F);
  return `<time class="timestamp-mention" datetime="${date.toISOString()}" title="${esc(full)}">${esc(shown)}</time>`;
}

/** ```fenced``` code blocks, by start index. Found before anything else: nothing inside them is markdown. */
function findFences(src: string): Map<number, Fence> {
  const fences = new Map<number, Fence>();
  for (let at = src.indexOf('```'); at !== -1;) {
    let slashes = 0;
    while (src[at - 1 - slashes] === '\\') slashes++;
    const close = slashes % 2 === 0 ? src.indexOf('```', at + 4) : -2;
    if (close === -1) break; // No closer now means none for any later opener either.
    let body = close < 0 ? '' : src.slice(at + 3, close);
    // Discord's rule: a language name only when a newline follows it; blank lines around the code dropped.
    const lang = /^[\w+\-.#]+\n/.exec(body)?.[0] ?? '';
    body = body.slice(lang.length);
    let [from, to] = [0, body.length];
    while (body[from] === '\n') from++;
    while (to > from && body[to - 1] === '\n') to--;
    if (from === to) {
      at = src.indexOf('```', at + 1);
      continue;
    }
    fences.set(at, { end: close + 3, lang: lang.trim(), body: body.slice(from, to) });
    at = src.indexOf('```', close + 3);
  }
  return fences;
}

/** Inline markdown of `src[start, end)`: escapes, code, tags, links, and paired marks. */
function inline(env: Env, start: number, end: number, links: boolean): string {
  const { src } = env;
  const out: (string | Run)[] = [];
  const openers: Record<string, Run[]> = { '*': [], _: [], '~': [], '|': [] };
  const noCloser = new Set<number>(); // backtick run lengths already known to have no closer
  let i = start;
  while (i < end) {
    const c = src.charAt(i);
    PLAIN.lastIndex = i;
    const plain = PLAIN.exec(src);
    if (plain) {
      const stop = Math.min(i + plain[0].length, end);
      out.push(esc(src.slice(i, stop)));
      i = stop;
    } else if (c === '\\') {
      // Discord's escape: a backslash before punctuation (or any symbol) shows only that character.
      const next = src.charAt(i + 1);
      const escapes = i + 1 < end && !/[0-9A-Za-z\s]/.test(next);
      out.push(esc(escapes ? next : c));
      i += escapes ? 2 : 1;
    } else if (c === '\n') {
      out.push('<br>');
      i++;
    } else if (c === '`') {
      const fence = env.fences.get(i);
      if (fence && fence.end <= end) {
        const lang = fence.lang ? ` data-lang="${esc(fence.lang)}"` : '';
        out.push(`<pre class="code-block"><code${lang}>${esc(fence.body)}</code></pre>`);
        i = fence.end;
        continue;
      }
      let j = i;
      while (src[j] === '`') j++;
      const ticks = src.slice(i, j);
      let close = noCloser.has(ticks.length) ? -1 : src.indexOf(ticks, j);
      while (close !== -1 && close < end && src[close + ticks.length] === '`') {
        let past = close;
        while (src[past] === '`') past++;
        close = src.indexOf(ticks, past);
      }
      if (close === -1 || close + ticks.length > end) {
        noCloser.add(ticks.length);
        out.push(ticks);
        i = j;
      } else {
        out.push(`<code class="inline-code">${esc(src.slice(j, close))}</code>`);
        i = close + ticks.length;
      }
    } else if (c === '<' || c === 'h' || c === '@' || c === '[') {
      const done = atom(env, i, end, links);
      if (done) {
        out.push(done.html);
        i = done.end;
      } else {
        out.push(esc(c));
        i++;
      }
    } else {
      i = markRun(src, start, end, i, out, openers); // the rest of PLAIN's stops: * _ ~ |
    }
  }
  return out.map(text).join('');
}

/** A tag, link or `@everyone` at `i`, if one starts there. */
function atom(env: Env, i: number, end: number, links: boolean): { html: string; end: number } | null {
  const { src, ctx } = env;
  const c = src.charAt(i);
  if (c === '<') {
    TAGS.lastIndex = i;
    const m = TAGS.exec(src);
    if (!m || TAGS.lastIndex > end) return null;
    const [, user, role, channel, unix, style, emoji, command, url] = m;
    const html =
      user !== undefined
        ? mention(`@${ctx.userName(user) ?? 'unknown-user'}`)
        : role !== undefined
          ? mention('@role')
          : channel !== undefined
            ? mention(`#${ctx.channelName(channel) ?? 'unknown'}`)
            : unix !== undefined
              ? timestamp(unix, style ?? 'f')
              : emoji !== undefined
                ? `<span class="emoji">:${esc(emoji)}:</span>`
                : command !== undefined
                  ? mention(`/${command}`)
                  : url !== undefined
                    ? bracketed(url, links)
                    : null;
    return html === null ? null : { html, end: TAGS.lastIndex };
  }
  if (c === '@') {
    const word = src.startsWith('@everyone', i) ? '@everyone' : src.startsWith('@here', i) ? '@here' : '';
    return word && i + word.length <= end ? { html: mention(word), end: i + word.length } : null;
  }
  if (!links) return null;
  if (c === 'h') {
    URL_AT.lastIndex = i;
    const m = URL_AT.exec(src);
    if (!m || URL_AT.lastIndex > end) return null;
    // Not a valid URL after all: the whole of it is text, so no later `http` inside it is tried again.
    const href = safeUrl(m[0]);
    return { html: href ? anchor(href, esc(m[0])) : esc(m[0]), end: URL_AT.lastIndex };
  }
  // [text](url): the text may not hold `[` or a line break, the URL no space or `[`, so a failed
  // attempt scans only up to the next `[` and no character is scanned twice.
  let j = i + 1;
  while (j < end && src[j] !== ']' && src[j] !== '[' && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
  if (j >= end || src[j] !== ']' || src[j + 1] !== '(' || j === i + 1) return null;
  let k = j + 2;
  while (k < end && src[k] !== ')' && src[k] !== '[' && !WS.test(src.charAt(k))) k++;
  if (src[k] !== ')' || k >= end) return null;
  const href = safeUrl(src.slice(j + 2, k).replace(/^<(.*)>$/, '$1'));
  return href ? { html: anchor(href, inline(env, i + 1, j, false)), end: k + 1 } : null;
}

/**
 * A run of one mark character at `i`: it first closes what it can (the nearest opener of the same
 * character, two characters at a time when both sides have two), then stays open with the rest.
 * Openers of other marks inside a closed span can no longer close and stay as text.
 */
function markRun(src: string, start: number, end: number, i: number, out: (string | Run)[], openers: Record<string, Run[]>): number {
  const ch = src.charAt(i);
  let j = i;
  while (j < end && src[j] === ch) j++;
  const before = i > start ? src.charAt(i - 1) : ' ';
  const after = j < end ? src.charAt(j) : ' ';
  // `_` emphasis needs word boundaries outside (snake_case stays text); `*` needs no space inside.
  const open1 = ch === '_' ? !WORD.test(before) && !WS.test(after) : !WS.test(after);
  const close1 = ch === '_' ? !WORD.test(after) && !WS.test(before) : !WS.test(before);
  const paired = ch === '~' || ch === '|';
  const stack = openers[ch] ?? [];
  let left = j - i;
  for (let opener = stack.at(-1); opener && left > 0; opener = stack.at(-1)) {
    const two = opener.count >= 2 && left >= 2;
    // `*a**b**c*`: a `**` between letters opens bold inside the italic rather than closing it.
    const use = paired ? (two ? 2 : 0) : ch === '*' && opener.count === 1 && left >= 2 && open1 && close1 ? 0 : two ? 2 : opener.open1 && close1 ? 1 : 0;
    if (use === 0) break;
    for (const other of Object.values(openers)) while ((other.at(-1)?.at ?? -1) > opener.at) other.pop();
    const inner = out
      .splice(opener.at + 1)
      .map(text)
      .join('');
    const [open, close] = TAGS_OF[ch]?.[use - 1] ?? ['', ''];
    out.push(`${open}${inner}${close}`);
    opener.count -= use;
    left -= use;
    if (opener.count === 0) stack.pop();
  }
  if (left > 0) {
    const run: Run = { ch, count: left, open1, at: out.length };
    out.push(run);
    if (paired ? left >= 2 : left >= 2 || open1) stack.push(run);
  }
  return j;
}

/** Block structure of `src`: fenced code stays whole; quotes, headings, subtext and lists at line starts. */
function blocks(src: string, ctx: MarkdownContext, options: MarkdownOptions, quoted: boolean): string {
  const env: Env = { src, fences: findFences(src), ctx };
  const spans = [...env.fences]; // in order of start, as found
  let next = 0;
  /** The end of the line starting at `from`: a newline inside a code block does not end it. */
  const lineEnd = (from: number): number => {
    for (let nl = src.indexOf('\n', from); nl !== -1; nl = src.indexOf('\n', nl + 1)) {
      while ((spans[next]?.[1].end ?? Infinity) <= nl) next++;
      const span = spans[next];
      if (!span || span[0] > nl) return nl;
      nl = span[1].end - 1;
    }
    return src.length;
  };
  let html = '';
  // What is being gathered: a paragraph (from its first line's start) or a list's items.
  let paragraph = -1;
  let list = null as { tag: 'ul' | 'ol'; start: string; items: string[] } | null;
  const flush = (upTo: number): void => {
    if (paragraph >= 0) html += inline(env, paragraph, upTo, true);
    if (list) html += `<${list.tag}${list.start}>${list.items.map((item) => `<li>${item}</li>`).join('')}</${list.tag}>`;
    paragraph = -1;
    list = null;
  };
  let lastEnd = 0; // where the previous line ended: a paragraph ends there, its newline dropped
  for (let i = 0; i <= src.length; i = lastEnd + 1) {
    const eol = lineEnd(i);
    const line = src.slice(i, eol);
    const rest = quoted ? null : /^ *>>> /.exec(line);
    if (rest) {
      flush(lastEnd);
      return `${html}<blockquote>${blocks(src.slice(i + rest[0].length), ctx, options, true)}</blockquote>`;
    }
    if (!quoted && /^ *> /.test(line)) {
      flush(lastEnd);
      const lines: string[] = [];
      for (let at = i, end = eol; at <= src.length; at = end + 1, end = lineEnd(at)) {
        const prefix = /^ *> /.exec(src.slice(at, Math.min(end, at + 40)));
        if (!prefix) break;
        lines.push(src.slice(at + prefix[0].length, end));
        lastEnd = end;
      }
      html += `<blockquote>${blocks(lines.join('\n'), ctx, options, true)}</blockquote>`;
      continue;
    }
    // Headings and subtext take the rest of the line; Discord wants a space and some text after the mark.
    const heading = options.embed ? null : /^(#{1,3}) +(?=\S)/.exec(line);
    const subtext = /^-# +(?=\S)/.exec(line);
    const item = /^ *(?:[-*]|(\d{1,9})\.) +(?=\S)/.exec(line);
    if (heading) {
      flush(lastEnd);
      const tag = `h${heading[1]?.length ?? 1}`;
      html += `<${tag}>${inline(env, i + heading[0].length, eol, true)}</${tag}>`;
    } else if (subtext) {
      flush(lastEnd);
      html += `<small class="subtext">${inline(env, i + subtext[0].length, eol, true)}</small>`;
    } else if (item) {
      const tag = item[1] === undefined ? 'ul' : 'ol';
      if (paragraph >= 0 || (list && list.tag !== tag)) flush(lastEnd);
      list ??= { tag, start: item[1] === undefined || item[1] === '1' ? '' : ` start="${Number(item[1])}"`, items: [] };
      list.items.push(inline(env, i + item[0].length, eol, true));
    } else {
      if (list) flush(lastEnd);
      if (paragraph < 0) paragraph = i;
    }
    lastEnd = eol;
  }
  flush(src.length);
  return html;
}

/** `text` (Discord markdown) as safe HTML. */
export function renderMarkdown(text: string, ctx: MarkdownContext, options: MarkdownOptions = {}): string {
  const src = text.replace(/\r\n?/g, '\n');
  if (!options.inline) return blocks(src, ctx, options, false);
  return inline({ src, fences: findFences(src), ctx }, 0, src.length, false);
}
