/** A logger whose lines a test can read: each JSON line parsed into `lines`, in order. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/core/log.ts';

export function capturedLogger(level: 'debug' | 'info' | 'warn'): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger({ level, pretty: false, destination }), lines };
}
