/**
 * A template with mistakes is refused on save with each mistake named by its field and, in a text,
 * its column: an unknown placeholder (with the likely one), a bad argument, an unknown transform, a
 * brace left open, an unknown time zone, locale or date token.
 */
import { describe, expect, it } from 'vitest';
import { checkTemplate, problemText } from '../src/app/templates/render.ts';
import { parseTemplate } from '../src/app/templates/parse.ts';
import { article } from './helpers/articles.ts';

const a = article({ title: 'Harbour reopens', text: 'The harbour reopened on Monday. Ferries run again.', publishedAt: '2026-03-29T00:30:00Z' });
const lines = (template: Parameters<typeof checkTemplate>[0]): string[] => checkTemplate(template, a).map(problemText);

describe('GIVEN a placeholder that does not exist', () => {
  it('THEN the problem names the field and the column of its brace, and suggests the near one', () => {
    expect(lines({ title: 'Read: {titel}' })).toEqual(['title: column 7: unknown placeholder {titel}; did you mean {title}?']);
    // Columns count characters, as the caret line does: the emoji is one, so the brace is at 3, not 4.
    expect(lines({ title: '📰 {titel}' })).toEqual(['title: column 3: unknown placeholder {titel}; did you mean {title}?']);
    expect(lines({ content: '📰📰 {title|uper}' })).toEqual(['content: column 11: unknown transform `uper`; known: upper, lower, strip, max:N']);
    expect(lines({ dateFormat: "📰 yyyy 'at" })).toEqual(["dateFormat: column 8: the quote (') in the date format is not closed"]);
    expect(lines({ content: 'x {headline}' })).toEqual([
      'content: column 3: unknown placeholder {headline}; known: {title}, {url}, {author}, {source}, {summary}, {published}, {comments}, {quote}, {language}, {category}',
    ]);
    expect(lines({ description: '{}' })).toEqual(['description: column 1: empty placeholder {}; write `{{` for a literal brace']);
  });
});

describe('GIVEN a bad argument or transform', () => {
  it('THEN each is named at its own column', () => {
    expect(lines({ description: 'Summary: {summary:11}' })).toEqual(['description: column 19: {summary:11}: the number of sentences must be 1 to 10']);
    expect(lines({ description: '{summary:0}{summary:two}' })).toEqual([
      'description: column 10: {summary:0}: the number of sentences must be 1 to 10',
      'description: column 21: {summary:two}: the number of sentences must be 1 to 10',
    ]);
    expect(lines({ content: '{url:3}' })).toEqual(['content: column 6: {url} takes no `:` argument']);
    expect(lines({ content: '{comments:x}' })).toEqual(['content: column 11: {comments} takes no `:` argument']);
    expect(lines({ title: '{title:abc}' })).toEqual(['title: column 8: {title:abc}: the length must be a whole number of characters from 1 to 6000']);
    expect(lines({ title: '{title:0}{title:6001}' }).map((l) => l.slice(0, 26))).toEqual(['title: column 8: {title:0}', 'title: column 17: {title:6']);
    expect(lines({ title: '{title|upper|uper}' })).toEqual(['title: column 14: unknown transform `uper`; known: upper, lower, strip, max:N']);
    expect(lines({ title: '{title|max:0}' })).toEqual(['title: column 8: `max:0` needs a whole number of characters from 1 to 6000, as in max:80']);
    expect(lines({ title: '{title|max}{title|max:-4}{title|max:99999}' }).map((l) => l.slice(0, 25))).toEqual([
      'title: column 8: `max` ne',
      'title: column 19: `max:-4',
      'title: column 33: `max:99',
    ]);
  });

  it('THEN a date format inside {published:…} is checked, the column pointing at the bad token', () => {
    expect(lines({ content: '{published:yyyy QQQ}' })).toEqual([
      "content: column 17: unknown date token `QQQ` in the date format; put words in single quotes ('at')",
    ]);
    expect(lines({ content: "{published:d LLL 'at' HH:mm}" })).toEqual([]);
  });
});

describe('GIVEN braces that do not pair', () => {
  it('THEN an open `{` and a lone `}` are named, and doubled braces are literal', () => {
    expect(lines({ content: 'a {title' })).toEqual(['content: column 3: `{` is not closed by `}`; write `{{` for a literal brace']);
    expect(lines({ content: '{title\n}' })).toEqual([
      'content: column 1: `{` is not closed by `}`; write `{{` for a literal brace',
      'content: column 8: `}` closes no placeholder; write `}}` for a literal brace',
    ]);
    expect(lines({ content: '{{ {title} }}' })).toEqual([]);
    expect(parseTemplate('{{ {title} }}').pieces).toEqual([
      { kind: 'text', text: '{ ' },
      { kind: 'placeholder', name: 'title', arg: null, transforms: [] },
      { kind: 'text', text: ' }' },
    ]);
  });

  it('THEN a text of nothing but mistakes reports a handful, not thousands', () => {
    expect(lines({ content: '}'.repeat(1) + ' }'.repeat(10_000) })).toHaveLength(5);
  });
});

describe('GIVEN a bad time zone, locale or date format', () => {
  it('THEN each names its field', () => {
    expect(lines({ timezone: 'Europe/Berln', locale: 'en_GB', dateFormat: "yyyy 'at" })).toEqual([
      "dateFormat: column 6: the quote (') in the date format is not closed",
      'timezone: unknown time zone `Europe/Berln`: use an IANA name such as Europe/Berlin or America/New_York',
      'locale: unknown locale `en_GB`: use a BCP 47 tag such as en-GB, de-DE or ja-JP',
    ]);
    expect(lines({ locale: 'xx-YY' })).toEqual(['locale: unknown locale `xx-YY`: no date names for it are available']);
    expect(lines({ dateFormat: '' })).toEqual([
      'dateFormat: column 1: empty date format: use a preset (short, medium, long, full) or Luxon tokens such as yyyy-LL-dd HH:mm',
    ]);
    // D, a and t are Luxon tokens (a date, AM/PM, a time); the e that ends the word is not, and is named.
    expect(lines({ dateFormat: 'Date: yyyy' })).toEqual(["dateFormat: column 4: unknown date token `e` in the date format; put words in single quotes ('at')"]);
  });

  it('THEN good ones pass: IANA zones, BCP 47 locales, presets and tokens', () => {
    for (const dateFormat of ['short', 'medium', 'long', 'full', 'yyyy-LL-dd HH:mm', "EEEE d MMMM 'um' HH:mm ZZZZ"]) {
      expect(lines({ dateFormat, timezone: 'Europe/Berlin', locale: 'de-DE' })).toEqual([]);
    }
    expect(lines({ timezone: 'America/New_York', locale: 'ja-JP' })).toEqual([]);
  });
});

describe('GIVEN a thread name that would change as comments come in', () => {
  it('THEN {comments} and {quote} are refused there (a thread is named once, and a forum post found again by its name)', () => {
    const why = 'changes as comments come in, but a thread is named once, and delivery finds a forum post again after a crash by its name';
    expect(lines({ threadName: '{title} ({comments} comments) {quote|max:20} {comments}' })).toEqual([
      `threadName: {comments} ${why}: use it in the content or description instead`,
      `threadName: {quote} ${why}: use it in the content or description instead`,
    ]);
    expect(lines({ content: '{comments} comments', description: '> {quote}', threadName: '{source}: {title} ({published:yyyy-LL-dd})' })).toEqual([]);
  });
});

describe('GIVEN a good template', () => {
  it('THEN there is nothing to report', () => {
    expect(
      lines({ content: 'New: {title|upper|max:80}', title: '{title}', description: '{summary:2}\n\n> {quote|strip|max:300}', threadName: '{source}: {title}' }),
    ).toEqual([]);
    expect(lines({})).toEqual([]);
  });
});
