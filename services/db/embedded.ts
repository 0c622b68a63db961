// Embedded PostgreSQL: PGlite persisted in a data directory, served in-process on a loopback
// TCP port (pglite-server.ts) so that the same driver (pg + @prisma/adapter-pg) reaches it as
// a real server. Only one process may open a data directory: a lock file guards it.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PgliteServer } from './pglite-server.js';

export interface EmbeddedServer {
  url: string;
  close(): Promise<void>;
}

export class DataDirectoryLockedError extends Error {}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function acquireLock(lockFile: string): void {
  if (existsSync(lockFile)) {
    const pid = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) {
      throw new DataDirectoryLockedError(
        `The embedded database in ${path.dirname(lockFile)} is already open by process ${pid}. ` +
          'Stop that process, or set DATABASE_URL to share a PostgreSQL server between instances.',
      );
    }
  }
  writeFileSync(lockFile, String(process.pid));
}

/**
 * Start PGlite. `dataDir` undefined -> in memory (tests). Connections take turns on its one
 * session, a whole transaction at a time; one left idle inside a transaction longer than
 * `idleInTransactionMs` is terminated (services/db's DatabaseTimeouts).
 */
export async function startEmbedded(dataDir: string | undefined, idleInTransactionMs: number): Promise<EmbeddedServer> {
  let lockFile: string | undefined;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    lockFile = path.join(dataDir, 'pglite.lock');
    acquireLock(lockFile);
  }
  const db = await PGlite.create(dataDir ? path.join(dataDir, 'pglite') : undefined);
  const server = new PgliteServer({ db, host: '127.0.0.1', idleInTransactionMs });
  const port = await server.start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async close() {
      await server.stop();
      await db.close();
      if (lockFile) rmSync(lockFile, { force: true });
    },
  };
}
