// The tab's test world: the demo data set, a local Entra ID key set on loopback (JWKS), tokens
// signed like Teams SSO tokens, and the whole application with SSO configured.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { startTestApp, type TestApp } from '../../helpers/server.js';
import { resetDatabase } from '../../helpers/db.js';
import { loadDemoDataIfEmpty } from '../../../services/import/demo.js';

export const APP_ID = '6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
export const TENANT = '0f1e2d3c-4b5a-4968-8776-5f4e3d2c1b0a';
export const DIRECTOR = '00000000-0000-0000-0000-00000000d001';
export const DIRECTOR_OF_TWO = '00000000-0000-0000-0000-00000000d002';
export const AGENT = '00000000-0000-0000-0000-00000000a001';

export interface TokenOptions {
  oid?: string;
  audience?: string;
  issuer?: string;
  expiresIn?: string | number;
  key?: CryptoKey;
  kid?: string;
}

export interface TabWorld {
  app: TestApp;
  audience: string;
  token(options?: TokenOptions): Promise<string>;
  /** A second key pair that the key set does not hold. */
  strangerKey: CryptoKey;
  close(): Promise<void>;
}

export async function startTabWorld(): Promise<TabWorld> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const stranger = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key-1', use: 'sig', alg: 'RS256' };
  const jwks: Server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`;
  const { registerTabRoutes } = await import('../../../web/tab/routes.js');
  const { registerFileRoutes } = await import('../../../web/files-routes.js');
  const app = await startTestApp({
    env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'test-secret', MicrosoftAppTenantId: TENANT, ENTRA_JWKS_URL: jwksUrl },
    routes: [registerTabRoutes, registerFileRoutes],
  });
  await resetDatabase(app.ctx.db);
  await loadDemoDataIfEmpty(app.ctx);
  const audience = `api://127.0.0.1:${app.port}/${APP_ID}`;
  return {
    app,
    audience,
    strangerKey: stranger.privateKey,
    token: (o = {}) =>
      new SignJWT({ oid: o.oid ?? DIRECTOR, tid: TENANT, name: 'Test' })
        .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? 'test-key-1', typ: 'JWT' })
        .setIssuer(o.issuer ?? `https://login.microsoftonline.com/${TENANT}/v2.0`)
        .setAudience(o.audience ?? audience)
        .setIssuedAt()
        .setExpirationTime(o.expiresIn ?? '1h')
        .sign(o.key ?? privateKey),
    async close() {
      await app.close();
      await new Promise<void>((resolve) => jwks.close(() => resolve()));
    },
  };
}
