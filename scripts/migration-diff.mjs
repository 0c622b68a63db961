#!/usr/bin/env node
// Makes the next migration: `npm run db:diff -- <name>`.
// Diffs the schema of the last commit (git HEAD) against prisma/schema.prisma with
// `prisma migrate diff --script`, and writes prisma/migrations/<timestamp>_<name>/migration.sql.
// Prisma's JS engine wants a database connection even for this offline diff: an in-memory
// PGlite is started for it, so no server is needed.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]/gi, '_').toLowerCase();
if (!name) {
  console.error('Usage: npm run db:diff -- <migration_name>');
  process.exit(2);
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'migdiff-'));
const oldSchema = path.join(tmp, 'schema.prisma');
writeFileSync(oldSchema, execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { encoding: 'utf8' }));

const db = await PGlite.create();
const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 });
await server.start();
const port = server.getServerConn().split(':').pop();
try {
  // Asynchronous on purpose: the PGlite server lives in this process's event loop.
  const out = await new Promise((resolve) => {
    const child = spawn(
      'npx',
      ['prisma', 'migrate', 'diff', '--from-schema-datamodel', oldSchema, '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
      { env: { ...process.env, DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable` } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  if (out.status !== 0) {
    console.error(out.stderr);
    process.exitCode = 1;
  } else if (/^-- This is an empty migration\.?\s*$/m.test(out.stdout) || !out.stdout.trim()) {
    console.log('The schema did not change since the last commit: no migration written.');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join('prisma', 'migrations', `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'migration.sql'), out.stdout);
    console.log(`Wrote ${dir}/migration.sql`);
  }
} finally {
  await server.stop();
  await db.close();
  rmSync(tmp, { recursive: true, force: true });
}
