// A few connections on which the hot path's short statements (services/db/raw-query.ts) are
// pipelined: each statement is sent at once, behind those still running on its connection,
// instead of waiting for a connection of the pool to be free. The server then runs a queue of
// statements per wake-up and the process reads several answers per socket read, where a pool
// connection costs both sides a round trip (and the pool's bookkeeping) per statement. Web chat
// bench (250 conversations, same machine): the bot's CPU per turn 3.6 -> 2.9 ms, PostgreSQL's
// 1.9 -> 1.4 ms.
//
// Each statement is its own exchange (Parse/Bind/Execute/Sync: its own implicit transaction,
// committed before its answer comes back), so statements of one connection run one after the
// other, never inside each other's transaction. Hence only for short single statements that do
// not wait on locks held across a transaction (a slow one holds up those queued behind it).
// - A statement goes to the connection with the fewest statements under way.
// - Like the pool, a connection on which a statement failed takes no more statements and closes
//   once those already sent have been answered (pg ends a pipelined client gracefully); a read
//   timeout closes it at once (pg), failing the statements sent on it. The next statement opens
//   a new one.
// - A connection idle for IDLE_CLOSE_MS closes (the pool's idle timeout); an idle connection
//   does not keep the process alive.
// - The statements sent on a connection during one turn of the event loop (the next statements
//   of the turns woken by the answers and requests read in it) leave in one socket write when
//   it ends (setImmediate), where pg writes each statement at once, one system call each. Chat
//   bench: the bot's write calls per turn 4.4 -> 2.5, its CPU per turn -0.17 ms (±0.04, 30
//   paired rounds); ending the tick instead (process.nextTick) grouped almost nothing.
import pg from 'pg';

// pg's Client has them (its socket's ref/unref); @types/pg leaves them out.
declare module 'pg' {
  interface Client {
    ref(): void;
    unref(): void;
  }
}

/** The pool's own idle timeout (pg-pool's default). */
const IDLE_CLOSE_MS = 10_000;

interface Pipe {
  client: pg.Client;
  /** Resolves once connected (statements wait for it, so that a failed connection fails them). */
  ready: Promise<pg.Client>;
  /** Statements sent and not yet answered. */
  running: number;
  idle?: NodeJS.Timeout;
}

export class StatementPipelines {
  private readonly pipes: (Pipe | undefined)[];
  private ended = false;
  /** Connections whose socket holds the statements sent since the event loop's last check phase (flush). */
  private readonly corked: pg.Client[] = [];

  constructor(
    private readonly config: pg.ClientConfig,
    count: number,
  ) {
    this.pipes = new Array<Pipe | undefined>(Math.max(1, count)).fill(undefined);
  }

  /** Runs one statement on the least busy connection (opened on demand). */
  async query<R extends pg.QueryResultRow>(statement: pg.QueryConfig): Promise<pg.QueryResult<R>> {
    if (this.ended) throw new Error('The statement pipelines are closed');
    const pipe = this.pick();
    if (pipe.running++ === 0) {
      clearTimeout(pipe.idle);
      pipe.client.ref();
    }
    try {
      const client = await pipe.ready;
      this.cork(client);
      return await client.query<R>(statement);
    } catch (err) {
      this.retire(pipe);
      throw err;
    } finally {
      if (--pipe.running === 0) this.rest(pipe);
    }
  }

  /** Holds what is written on the connection's socket until this turn of the event loop ends. */
  private cork(client: pg.Client): void {
    if (this.corked.includes(client)) return;
    client.connection.stream.cork();
    if (this.corked.push(client) === 1) setImmediate(() => this.flush());
  }

  /** Writes the statements held on each corked socket, one write each. */
  private flush(): void {
    for (const client of this.corked.splice(0)) client.connection.stream.uncork();
  }

  /** Closes every connection (statements already sent are answered first). */
  async end(): Promise<void> {
    this.ended = true;
    const open = this.pipes.filter((p): p is Pipe => p !== undefined);
    this.pipes.fill(undefined);
    await Promise.all(open.map((p) => this.close(p)));
  }

  private pick(): Pipe {
    let best: Pipe | undefined;
    for (let i = 0; i < this.pipes.length; i++) {
      const pipe = this.pipes[i];
      if (!pipe) {
        // A free slot: a new connection rather than a queue behind a busy one.
        if (!best || best.running > 0) return (this.pipes[i] = this.open());
        continue;
      }
      if (!best || pipe.running < best.running) best = pipe;
    }
    return best ?? (this.pipes[0] = this.open());
  }

  private open(): Pipe {
    const client = new pg.Client({ ...this.config, pipeline: true });
    const pipe: Pipe = { client, ready: client.connect().then(() => client), running: 0 };
    // Whoever awaits it sees a failure; nobody may await it.
    pipe.ready.catch(() => this.retire(pipe));
    // A connection lost between statements: the next statement opens another.
    client.on('error', () => this.retire(pipe));
    client.on('end', () => this.retire(pipe));
    return pipe;
  }

  /** Idle: may close after IDLE_CLOSE_MS, and does not keep the process alive meanwhile. */
  private rest(pipe: Pipe): void {
    if (!this.pipes.includes(pipe)) return;
    pipe.client.unref();
    pipe.idle = setTimeout(() => this.retire(pipe), IDLE_CLOSE_MS);
    pipe.idle.unref();
  }

  /** Takes the connection out of use and closes it once what was sent on it is answered. */
  private retire(pipe: Pipe): void {
    const i = this.pipes.indexOf(pipe);
    if (i < 0) return;
    this.pipes[i] = undefined;
    void this.close(pipe);
  }

  private async close(pipe: Pipe): Promise<void> {
    clearTimeout(pipe.idle);
    await pipe.client.end().catch(() => undefined);
  }
}
