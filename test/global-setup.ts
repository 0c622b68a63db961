// One database server for the whole run: the real PostgreSQL named by TEST_DATABASE_URL or
// DATABASE_URL (a fresh database is created in it and dropped at the end), else one
// in-memory PGlite. Migrations are applied once; test files reset the data they use.
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbedded, type EmbeddedServer } from '../services/db/embedded.js';
import { migrate } from '../services/db/migrate.js';
import { DEFAULT_TIMEOUTS } from '../services/db/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    embedded: boolean;
  }
}

let embedded: EmbeddedServer | undefined;
let dropDatabase: (() => Promise<void>) | undefined;

async function createFreshDatabase(serverUrl: string): Promise<string> {
  const name = `educonnect_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  dropDatabase = async () => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  };
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  let url: string;
  if (serverUrl) {
    url = await createFreshDatabase(serverUrl);
  } else {
    embedded = await startEmbedded(undefined, DEFAULT_TIMEOUTS.idleInTransactionMs);
    url = embedded.url;
  }
  await migrate({ connectionString: url });
  project.provide('databaseUrl', url);
  project.provide('embedded', embedded !== undefined);
  return async () => {
    await dropDatabase?.();
    await embedded?.close();
  };
}
