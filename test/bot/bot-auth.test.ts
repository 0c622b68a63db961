// Malformed Bot Framework tokens on /api/messages (issue #11, point 9) against a local key set:
// alg "none", HS256 (the RSA public key used as an HMAC secret), "nbf" in the future, expired,
// another audience, garbage: 401 every time, never 500. A well-signed token passes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/server.js';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const ISSUER = 'https://api.botframework.com';
const KID = 'local-key-1';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

let keys: Server;
let app: TestApp;
let privateKey: CryptoKey;
let publicPem: string;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, use: 'sig', alg: 'RS256' };
  const der = Buffer.from(await crypto.subtle.exportKey('spki', pair.publicKey));
  publicPem = `-----BEGIN PUBLIC KEY-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PUBLIC KEY-----\n`;
  keys = createServer((req, res) => {
    const base = `http://127.0.0.1:${(keys.address() as AddressInfo).port}`;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify(req.url === '/keys' ? { keys: [jwk] } : { issuer: ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }),
    );
  });
  await new Promise<void>((resolve) => keys.listen(0, '127.0.0.1', resolve));
  const port = (keys.address() as AddressInfo).port;
  app = await startTestApp({
    env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', BOT_OPENID_METADATA_URL: `http://127.0.0.1:${port}/openid` },
  });
});
afterAll(async () => {
  await app?.close();
  await new Promise<void>((resolve) => keys.close(() => resolve()));
});

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = (): number => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  iss: ISSUER,
  aud: APP_ID,
  serviceurl: SERVICE_URL,
  iat: now() - 60,
  nbf: now() - 60,
  exp: now() + 600,
  ...extra,
});

async function rs256(extra: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims(extra)).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' }).sign(privateKey);
}

/** HS256 with the public key as the HMAC secret: the classic algorithm confusion. */
async function hs256WithPublicKey(): Promise<string> {
  const header = b64({ alg: 'HS256', kid: KID, typ: 'JWT' });
  const body = b64(claims());
  const { createHmac } = await import('node:crypto');
  return `${header}.${body}.${createHmac('sha256', publicPem).update(`${header}.${body}`).digest('base64url')}`;
}

async function post(token: string | undefined): Promise<number> {
  const res = await fetch(`${app.url}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token !== undefined ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({
      type: 'conversationUpdate',
      id: 'a1',
      channelId: 'msteams',
      serviceUrl: SERVICE_URL,
      from: { id: '29:someone' },
      recipient: { id: `28:${APP_ID}` },
      conversation: { id: 'a:conversation' },
    }),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('Bot Framework tokens on /api/messages', () => {
  it('answers 401 to every malformed or invalid token, never 500', async () => {
    const cases: [string, string | undefined][] = [
      ['no token', undefined],
      ['garbage', 'not.a.token'],
      ['alg none', `${b64({ alg: 'none', kid: KID, typ: 'JWT' })}.${b64(claims())}.`],
      ['HS256 signed with the public key', await hs256WithPublicKey()],
      ['nbf in the future', await rs256({ nbf: now() + 3600, iat: now() })],
      ['expired', await rs256({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 })],
      ['another audience', await rs256({ aud: 'another-bot' })],
      ['another issuer', await rs256({ iss: 'https://attacker.example' })],
    ];
    const statuses: Record<string, number> = {};
    for (const [label, token] of cases) statuses[label] = await post(token);
    expect(statuses).toEqual(Object.fromEntries(cases.map(([label]) => [label, 401])));
  });

  it('accepts a token signed by the announced key for this bot', async () => {
    expect(await post(await rs256())).toBe(200);
  });
});
