// A PostgreSQL wire-protocol server in front of one PGlite, replacing pglite-socket's
// message-level multiplexing. PGlite has a single session, so every client connection takes
// turns on it, whole exchanges at a time:
//   - a connection holds the session from its first message until its exchange ends (Sync,
//     simple Query, startup) with no transaction open; a connection inside BEGIN…COMMIT keeps
//     it until the transaction ends. Others wait in arrival order. Interleaving at the message
//     level mixed the unnamed statements and portals of different clients ("portal does not
//     exist") and ran one client's statements inside another's transaction.
//   - a connection idle inside a transaction longer than `idleInTransactionMs` is terminated
//     as PostgreSQL does (FATAL 25P03) and its transaction rolled back, so that the others
//     are not held forever.
//   - a connection that goes away while holding the session has its transaction rolled back.
//   - named prepared statements are each connection's own, as on PostgreSQL: the server
//     prefixes their names with the connection's id in Parse, Bind, Describe and Close
//     (pglite-statements.ts), and closes a connection's statements when it goes away. (SQL-level
//     PREPARE/EXECUTE/DEALLOCATE in query text is not rewritten: nothing here uses it.)
// No statement timeout: PGlite runs each statement synchronously, with no timers.
import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { closeStatementMessage, scopeStatementName } from './pglite-statements.js';

const PROTOCOL_3 = 196_608;
const SSL_REQUEST = 80_877_103;
const GSSENC_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;
/** PostgreSQL's default max_connections. */
const MAX_CONNECTIONS = 100;

const SYNC = Uint8Array.from([0x53, 0, 0, 0, 4]);

function frontendMessage(type: string, body: Buffer): Uint8Array {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return new Uint8Array(Buffer.concat([header, body]));
}

const ROLLBACK = frontendMessage('Q', Buffer.from('ROLLBACK\0', 'utf8'));

/** A FATAL ErrorResponse, as PostgreSQL sends before closing a connection. */
function fatal(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('E', 0, 'latin1');
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

export interface PgliteServerOptions {
  db: PGlite;
  host: string;
  /** Terminate a connection left idle inside a transaction this long (0: never). */
  idleInTransactionMs: number;
}

export class PgliteServer {
  private readonly server = net.createServer((socket) => this.accept(socket));
  private readonly connections = new Set<Connection>();
  private owner: Connection | undefined;
  private readonly waiting: { conn: Connection; grant: () => void }[] = [];
  private lastConnectionId = 0;

  constructor(readonly options: PgliteServerOptions) {}

  /** Listen on a free loopback port; returns it. */
  async start(): Promise<number> {
    await this.options.db.waitReady;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, this.options.host, () => resolve());
    });
    return (this.server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const connections = [...this.connections];
    for (const c of connections) c.close();
    await closed;
    await Promise.all(connections.map((c) => c.closed()));
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    if (this.connections.size >= MAX_CONNECTIONS) {
      socket.end(fatal('53300', 'sorry, too many clients already'));
      return;
    }
    const conn = new Connection(this, socket, `c${++this.lastConnectionId}/`);
    this.connections.add(conn);
    socket.on('close', () => {
      this.connections.delete(conn);
      // Failing to roll back means the database itself is closing: nothing left to protect.
      conn.closed().catch(() => undefined);
    });
  }

  /** Resolves once `conn` holds the session. */
  acquire(conn: Connection): Promise<void> {
    this.owner ??= conn;
    if (this.owner === conn) return Promise.resolve();
    return new Promise((grant) => this.waiting.push({ conn, grant }));
  }

  release(conn: Connection): void {
    if (this.owner !== conn) {
      // A connection that went away while waiting: wake it up so that it stops.
      const i = this.waiting.findIndex((w) => w.conn === conn);
      if (i >= 0) this.waiting.splice(i, 1)[0]?.grant();
      return;
    }
    const next = this.waiting.shift();
    this.owner = next?.conn;
    next?.grant();
  }

  holds(conn: Connection): boolean {
    return this.owner === conn;
  }

  /** Run one frontend message on the session, streaming the answer to `write`. */
  run(message: Uint8Array, write: (data: Uint8Array) => void): Promise<void> {
    const { db } = this.options;
    return db.runExclusive(() => db.execProtocolRawStream(message, { onRawData: write }));
  }

  /**
   * End whatever the departing holder left open: an extended-query cycle, a transaction, and
   * its prepared statements (their names on the session).
   */
  async cleanUp(statements: Iterable<string>): Promise<void> {
    const discard = (): void => undefined;
    await this.run(SYNC, discard);
    if (this.options.db.isInTransaction()) await this.run(ROLLBACK, discard);
    let closed = false;
    for (const name of statements) {
      await this.run(closeStatementMessage(name), discard);
      closed = true;
    }
    if (closed) await this.run(SYNC, discard);
  }
}

interface Pending {
  message: Uint8Array;
  /** Startup, Sync and simple Query end an exchange. */
  endsExchange: boolean;
}

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private started = false;
  private running = false;
  private closing: Promise<void> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  /** This connection's named prepared statements, by their names on the session. */
  private readonly statements = new Set<string>();

  constructor(
    private readonly server: PgliteServer,
    private readonly socket: net.Socket,
    /** Prefix of this connection's statement names on the shared session. */
    private readonly prefix: string,
  ) {
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
  }

  close(): void {
    this.socket.destroy();
  }

  /** A method, not a getter: it changes across awaits. */
  private gone(): boolean {
    return this.closing !== undefined;
  }

  /** The socket closed: drop what it queued, give the session back clean. Idempotent. */
  closed(): Promise<void> {
    this.closing ??= this.giveBack();
    return this.closing;
  }

  private async giveBack(): Promise<void> {
    this.pending.length = 0;
    clearTimeout(this.idleTimer);
    // Waiting for the session: leave the queue (this wakes the pump, which stops).
    if (!this.server.holds(this)) this.server.release(this);
    // A message of this connection may be running: let it finish.
    while (this.running) await new Promise((resolve) => setImmediate(resolve));
    if (!this.server.holds(this)) {
      // Its prepared statements must go all the same: wait for a turn.
      if (this.statements.size === 0) return;
      await this.server.acquire(this);
    }
    try {
      await this.server.cleanUp(this.statements);
    } finally {
      this.server.release(this);
    }
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        if (this.buffer.length < length) return;
        const code = this.buffer.readInt32BE(4);
        const message = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST || code !== PROTOCOL_3) {
          this.close();
          return;
        }
        this.started = true;
        this.pending.push({ message: new Uint8Array(message), endsExchange: true });
        continue;
      }
      if (this.buffer.length < 5) break;
      const length = 1 + this.buffer.readInt32BE(1);
      if (this.buffer.length < length) break;
      const message = this.buffer.subarray(0, length);
      this.buffer = this.buffer.subarray(length);
      if (message[0] === 0x58 /* Terminate */) {
        this.close();
        return;
      }
      const type = message[0];
      const scoped = scopeStatementName(message, this.prefix);
      if (scoped.prepared !== undefined) this.statements.add(scoped.prepared);
      if (scoped.closed !== undefined) this.statements.delete(scoped.closed);
      this.pending.push({ message: scoped.message, endsExchange: type === 0x53 /* Sync */ || type === 0x51 /* Query */ });
    }
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.running || this.gone()) return;
    this.running = true;
    try {
      while (this.pending.length && !this.gone()) {
        const { message, endsExchange } = this.pending.shift() as Pending;
        clearTimeout(this.idleTimer);
        await this.server.acquire(this);
        if (this.gone()) break;
        await this.server.run(message, (data) => {
          if (!this.gone() && data.length) this.socket.write(data);
        });
        if (endsExchange && !this.server.options.db.isInTransaction()) this.server.release(this);
      }
    } catch {
      this.close();
    } finally {
      this.running = false;
    }
    if (!this.gone() && this.server.holds(this) && this.pending.length === 0) this.armIdleTimer();
  }

  private armIdleTimer(): void {
    const ms = this.server.options.idleInTransactionMs;
    if (ms <= 0) return;
    this.idleTimer = setTimeout(() => {
      this.socket.end(fatal('25P03', 'terminating connection due to idle-in-transaction timeout'), () => this.socket.destroy());
    }, ms);
    this.idleTimer.unref();
  }
}
