/**
 * Files: the bytes users attach to command options and the bot uploads with messages, kept and
 * served as Discord's CDN serves them (`GET /attachments/{attachment.id}/{filename}` on the fake's own
 * port), and the multipart/form-data bodies (`payload_json` beside `files[n]`) that carry uploads.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESTJSONErrorCodes, type APIAttachment } from 'discord-api-types/v10';
import { ApiError, invalidFormBody, invalidJson } from './errors.ts';
import type { SnowflakeFactory } from './ids.ts';

/** 10 MiB: what Discord lets a bot (and a member of a guild without boosts) upload per file. */
export const UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;
/** Discord takes at most 10 attachments on one message. */
export const MAX_FILES = 10;
/** The most a request body may hold before the fake stops reading it: ten files at the limit are refused anyway. */
export const MAX_BODY_BYTES = 2 * UPLOAD_LIMIT_BYTES + 64 * 1024;

/** What the fake keeps at most; past it the oldest files go, as Discord's signed URLs expire (a long-running playground stays bounded). */
const KEPT_BYTES = 256 * 1024 * 1024;

/** A file as a user (or a test) attaches it. */
export interface FileInput {
  readonly filename: string;
  readonly data: Uint8Array;
  /** Default: from the name's extension, else `application/octet-stream`. */
  readonly contentType?: string;
}

interface Stored {
  readonly attachment: APIAttachment;
  readonly bytes: Buffer;
}

const TYPES: Readonly<Record<string, string>> = {
  opml: 'text/x-opml; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
};

/** The fake's CDN: every file uploaded, by attachment id. */
export class UploadStore {
  readonly #files = new Map<string, Stored>();
  #kept = 0;
  #base = 'http://127.0.0.1';

  constructor(private readonly ids: SnowflakeFactory) {}

  /** The origin files are served from: the fake's own, once it listens. */
  setBase(origin: string): void {
    this.#base = origin;
  }

  /** Stores a file and answers its attachment object; over Discord's limit it is 413 40005. */
  put(file: FileInput, ephemeral = false): APIAttachment {
    const bytes = Buffer.from(file.data);
    if (bytes.length > UPLOAD_LIMIT_BYTES) throw tooLarge(`${file.filename} is ${bytes.length} bytes, over Discord's ${UPLOAD_LIMIT_BYTES}`);
    const id = this.ids.next();
    const filename = file.filename.replaceAll(/[^\w.-]/g, '_').slice(0, 200) || 'file';
    const url = `${this.#base}/attachments/${id}/${filename}`;
    const attachment: APIAttachment = {
      id,
      filename,
      size: bytes.length,
      url,
      proxy_url: url,
      content_type: file.contentType ?? TYPES[filename.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream',
      ...(ephemeral && { ephemeral: true }),
    };
    this.#files.set(id, { attachment, bytes });
    this.#kept += bytes.length;
    // Oldest first: a Map iterates in insertion order.
    for (const [oldId, old] of this.#files) {
      if (this.#kept <= KEPT_BYTES || oldId === id) break;
      this.#files.delete(oldId);
      this.#kept -= old.bytes.length;
    }
    return structuredClone(attachment);
  }

  has(id: string): boolean {
    return this.#files.has(id);
  }

  attachment(id: string): APIAttachment | undefined {
    const stored = this.#files.get(id);
    return stored && structuredClone(stored.attachment);
  }

  /** The bytes behind an attachment's URL (or id), as a download would get them. */
  bytes(urlOrId: string): Buffer | undefined {
    const id = urlOrId.startsWith('http') ? new URL(urlOrId).pathname.split('/')[2] : urlOrId;
    const stored = id === undefined ? undefined : this.#files.get(id);
    return stored && Buffer.from(stored.bytes);
  }

  /** Answers `GET /attachments/{id}/{filename}`; false when the request is not for the CDN. */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    const path = new URL(req.url ?? '/', 'http://fake.invalid').pathname;
    if (!path.startsWith('/attachments/')) return false;
    const [, , id, name] = path.split('/');
    const stored = id === undefined ? undefined : this.#files.get(id);
    if (req.method !== 'GET' || !stored || decodeURIComponent(name ?? '') !== stored.attachment.filename) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('This content is no longer available.');
      return true;
    }
    res.writeHead(200, { 'Content-Type': stored.attachment.content_type ?? 'application/octet-stream', 'Content-Length': stored.bytes.length });
    res.end(stored.bytes);
    return true;
  }
}

export function tooLarge(detail: string): ApiError {
  return new ApiError(413, RESTJSONErrorCodes.RequestEntityTooLarge, 'Request entity too large', undefined, detail);
}

/** One part of a multipart body. */
interface Part {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly data: Buffer;
}

/**
 * A multipart/form-data body as Discord reads it: the JSON of `payload_json`, and each `files[n]`
 * stored, its attachment object put in the payload's `attachments` where an entry has id `n`
 * (entries naming an earlier attachment by its snowflake stay as they are, for edits that keep files);
 * an interaction callback's are in its `data`.
 */
export function parseMultipart(raw: Buffer, contentType: string, uploads: UploadStore): unknown {
  const parts = splitParts(raw, contentType);
  const payloadPart = parts.find((p) => p.name === 'payload_json');
  let body: Record<string, unknown> = {};
  if (payloadPart) {
    try {
      const parsed = JSON.parse(payloadPart.data.toString('utf8')) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      throw invalidJson();
    }
  }
  const files = parts.filter((p) => p.filename !== undefined);
  if (files.length > MAX_FILES) throw invalidFormBody([{ path: ['files'], code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_FILES} or fewer in length.` }]);
  // An interaction callback carries the message in `data`.
  const message = typeof body.type === 'number' && typeof body.data === 'object' && body.data !== null ? (body.data as Record<string, unknown>) : body;
  const entries = Array.isArray(message.attachments) ? [...(message.attachments as unknown[])] : [];
  const used = new Set<number>();
  const byIndex = new Map<string, Part>();
  for (const part of files) {
    const index = /^files\[(\d{1,2})\]$/.exec(part.name)?.[1] ?? (part.name === 'file' ? '0' : undefined);
    if (index !== undefined) byIndex.set(index, part);
  }
  const store = (part: Part, entry?: Record<string, unknown>): APIAttachment => {
    const filename = typeof entry?.filename === 'string' ? entry.filename : (part.filename ?? 'file');
    const type = part.contentType && part.contentType !== 'application/octet-stream' ? part.contentType : undefined;
    return uploads.put({ filename, data: part.data, ...(type !== undefined && { contentType: type }) });
  };
  const resolved = entries.map((entry, i) => {
    if (typeof entry !== 'object' || entry === null) return entry;
    const record = entry as Record<string, unknown>;
    const key = typeof record.id === 'string' || typeof record.id === 'number' ? String(record.id) : String(i);
    const part = byIndex.get(key);
    if (!part || uploads.has(key)) return entry;
    used.add(Number(key));
    return store(part, record);
  });
  // A file no `attachments` entry names is attached all the same, as Discord does.
  for (const [index, part] of byIndex) if (!used.has(Number(index))) resolved.push(store(part));
  if (resolved.length > 0) message.attachments = resolved;
  return body;
}

function splitParts(raw: Buffer, contentType: string): Part[] {
  const boundary = /boundary="?([^";]{1,200})"?/i.exec(contentType)?.[1];
  if (boundary === undefined) throw invalidJson();
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = raw.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) break;
    // Each part: CRLF, headers, a blank line, the data, CRLF before the next delimiter.
    const chunk = raw.subarray(start + 2, next - 2);
    const split = chunk.indexOf('\r\n\r\n');
    if (split >= 0) {
      const headers = chunk.subarray(0, split).toString('utf8');
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      const type = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim();
      if (name !== undefined)
        parts.push({ name, data: chunk.subarray(split + 4), ...(filename !== undefined && { filename }), ...(type !== undefined && { contentType: type }) });
    }
    at = next;
  }
  return parts;
}
