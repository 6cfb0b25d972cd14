/**
 * The renderer's files: a view's files become discord.js `files` (name and bytes), names kept to
 * what Discord keeps, and a view Discord could not take (too many files, one too large) is a bug
 * thrown by the renderer rather than a request Discord refuses.
 */
import { describe, expect, it } from 'vitest';
import { createCodec } from '../src/ui/discord/custom-id.ts';
import { renderView } from '../src/ui/discord/render.ts';
import { openDatabase } from '../src/adapters/store/db.ts';
import { openKeyv } from '../src/adapters/store/kv.ts';

const codec = createCodec({ keyv: openKeyv(openDatabase(':memory:'), 'bot') });
const OPML = Buffer.from('<?xml version="1.0"?><opml version="2.0"><head/><body/></opml>');

describe('GIVEN a view with a file', () => {
  it('THEN the payload carries it with its bytes beside the text, and no pings', async () => {
    const payload = await renderView({ content: '1 feed in feeds.opml.', ephemeral: true, files: [{ name: 'feeds.opml', bytes: OPML }] }, codec);
    expect(payload.content).toBe('1 feed in feeds.opml.');
    expect(payload.files).toEqual([{ name: 'feeds.opml', attachment: OPML }]);
    expect(payload.allowedMentions).toEqual({ parse: [] });
  });

  it('THEN a name with spaces, slashes or other marks keeps letters, digits, dots and dashes only', async () => {
    const payload = await renderView({ files: [{ name: '../my feeds (2).opml', bytes: OPML }] }, codec);
    expect(payload.files?.map((f) => f.name)).toEqual(['.._my_feeds__2_.opml']);
  });

  it('THEN a view without files has no files field, so an edit keeps what a message had', async () => {
    expect(await renderView({ content: 'x' }, codec)).not.toHaveProperty('files');
    expect(await renderView({ content: 'x', files: [] }, codec)).not.toHaveProperty('files');
  });
});

describe('GIVEN a view Discord could not take', () => {
  it('THEN more than 10 files, or a file over 10 MiB, is thrown naming it', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `${i}.txt`, bytes: Buffer.from('x') }));
    await expect(renderView({ files: eleven }, codec)).rejects.toThrow('render: at most 10 files on a message, got 11');
    const big = { name: 'big.opml', bytes: new Uint8Array(10 * 1024 * 1024 + 1) };
    await expect(renderView({ files: [big] }, codec)).rejects.toThrow("render: file big.opml is 10485761 bytes, over Discord's 10485760");
  });
});
