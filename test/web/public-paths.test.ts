// The registry of public paths and the routes agree: every page of services/public-paths.ts
// is served by the self-service routes (a token page under <path>/<token>), and links are
// built under PUBLIC_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPrisma } from '../helpers/db.js';
import { startSelfServiceServer, type TestServer } from './selfservice-client.js';
import { recordingContext } from '../services/selfservice/fixtures.js';
import { PAGES, publicLink } from '../../services/public-paths.js';

const prisma = testPrisma();
let server: TestServer;

beforeAll(async () => {
  server = await startSelfServiceServer(recordingContext(prisma));
});
afterAll(async () => {
  await server.close();
  await prisma.$disconnect();
});

const TOKEN_PAGES: readonly string[] = [PAGES.activation, PAGES.passwordPage, PAGES.emailChange];
const ELSEWHERE: readonly string[] = [PAGES.files, PAGES.accountChildren]; // files-routes.ts; <children>/<id>/retirer

describe('public paths', () => {
  it('every registered page has a route (no "route not found")', async () => {
    const missing = await fetch(`${server.url}/pas-une-page`);
    expect([missing.status, (missing.headers.get('content-type') ?? '').startsWith('text/html')]).toEqual([404, false]);
    for (const path of Object.values(PAGES)) {
      if (ELSEWHERE.includes(path)) continue;
      const url = server.url + (TOKEN_PAGES.includes(path) ? `${path}/jeton-inconnu` : path);
      const res = await fetch(url, { redirect: 'manual' });
      const routeMissing = res.status === 404 && !(res.headers.get('content-type') ?? '').startsWith('text/html');
      expect(routeMissing, `${path} -> ${res.status}`).toBe(false);
    }
  });

  it('links are absolute under PUBLIC_URL, tokens escaped', () => {
    expect(publicLink({ publicUrl: 'https://aide.example.org/' }, PAGES.firstLogin)).toBe('https://aide.example.org/premiere-connexion');
    expect(publicLink({ publicUrl: 'https://aide.example.org' }, PAGES.activation, 'a/b')).toBe('https://aide.example.org/activation/a%2Fb');
  });
});
