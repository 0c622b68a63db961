// Two groups of tests (`npm test` runs both; `--project unit` or `--project db` runs one):
// - unit: no database, browser nor network server; files run in parallel;
// - db: the files that use the shared database server (test/global-setup.ts), a browser or a
//   network server; they take turns on the one server. A file joins this group by importing a
//   helper of those (helpers/db, server, browser, tcp-proxy, the worlds and fixtures) or
//   playwright / smtp-server.
import { readdirSync, readFileSync } from 'node:fs';
import { configDefaults, defineConfig } from 'vitest/config';

const SERIAL = /helpers\/(db|server|browser|tcp-proxy)\.js|selfservice-client\.js|\/setup\.js|fixtures\.js|world\.js|playwright|smtp-server|inject\(/;
const testFiles = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/${f.split('\\').join('/')}`);
const serial = testFiles.filter((f) => SERIAL.test(readFileSync(f, 'utf8')));

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // The db group alone uses forks: one at a time, a fresh process per file (no timer or
    // connection of a file outlives it); the unit group uses threads, in parallel.
    poolOptions: { forks: { minForks: 1, maxForks: 1 } },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...serial], pool: 'threads' },
      },
      {
        extends: true,
        test: { name: 'db', include: serial, globalSetup: ['test/global-setup.ts'], pool: 'forks' },
      },
    ],
  },
});
