/**
 * A TCP forwarder on 127.0.0.1 to a real server (PostgreSQL, Redis) that a test can cut: every
 * connection through it ends at once, and new ones are refused until it is opened again. The
 * process under test sees the server go away and come back, while the shared server itself (other
 * tests use it at the same time) is never stopped.
 */
import { createServer, type Server, type Socket, connect } from 'node:net';

export interface Forwarder {
  /** The port the process under test connects to. */
  readonly port: number;
  /** Ends every open connection (a reset, as a dead server gives) and refuses new ones. */
  cut(): void;
  /** Accepts and forwards connections again. */
  restore(): void;
  /** Connections forwarded so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

export async function startForwarder(target: { readonly host: string; readonly port: number }): Promise<Forwarder> {
  const open = new Set<Socket>();
  let up = true;
  let accepted = 0;
  const server: Server = createServer((incoming) => {
    if (!up) {
      incoming.resetAndDestroy();
      return;
    }
    accepted += 1;
    const outgoing = connect(target.port, target.host);
    open.add(incoming);
    open.add(outgoing);
    const end = (): void => {
      open.delete(incoming);
      open.delete(outgoing);
      incoming.destroy();
      outgoing.destroy();
    };
    incoming.on('error', end).on('close', end);
    outgoing.on('error', end).on('close', end);
    incoming.pipe(outgoing);
    outgoing.pipe(incoming);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    port,
    get accepted() {
      return accepted;
    },
    cut() {
      up = false;
      for (const s of open) s.resetAndDestroy();
      open.clear();
    },
    restore() {
      up = true;
    },
    close: () =>
      new Promise<void>((done) => {
        for (const s of open) s.destroy();
        open.clear();
        server.close(() => done());
      }),
  };
}
