/** A local web site for tests: a handler served on 127.0.0.1 at a free port. */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalSite {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly base: string;
  /** Drops open connections (a silent route holds one) and stops listening. */
  close(): Promise<void>;
}

export async function serveLocally(handler: RequestListener): Promise<LocalSite> {
  const server = createServer(handler);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}
