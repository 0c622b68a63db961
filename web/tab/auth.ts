// Who is calling /api/tab/…: the Entra ID token that @microsoft/teams-js SSO gave the tab
// (Authorization: Bearer …), checked against the tenant's signing keys (ENTRA_JWKS_URL),
// issuer (MicrosoftAppTenantId), audience (api://<PUBLIC_URL host>/<MicrosoftAppId>) and expiry,
// then its `oid` looked up in the staff directory. Outside production, `?as=<aad_object_id>`
// stands for the token, as on the web chat page.
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AppConfig } from '../../bot/config.js';
import type { StaffActor } from '../../services/actor.js';
import type { ServiceContext } from '../../services/context.js';
import { findStaffActor } from '../../services/staff.js';

export type TabIdentity = { ok: true; actor: StaffActor } | { ok: false; status: 401 | 403; message: string };

export const TAB_MESSAGES = {
  noToken: 'Votre session Teams est absente ou a expiré. Fermez puis rouvrez l’onglet.',
  badToken: 'Votre session Teams n’a pas pu être vérifiée. Fermez puis rouvrez l’onglet.',
  notConfigured: 'La connexion à l’onglet n’est pas encore configurée. Contactez l’administrateur de l’application.',
  notStaff: 'Cet onglet est réservé aux directeurs d’école et aux agents de l’assistance.',
} as const;

export interface TabAuthenticator {
  identify(authorization: string | undefined, as: string | null): Promise<TabIdentity>;
}

export function createTabAuthenticator(config: AppConfig, ctx: ServiceContext): TabAuthenticator {
  const { tenantId, audience, jwksUrl } = config.tab;
  let keys: JWTVerifyGetKey | undefined;
  const issuers = tenantId ? [`https://login.microsoftonline.com/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`] : [];

  async function staff(oid: string): Promise<TabIdentity> {
    const actor = await findStaffActor(ctx, oid);
    return actor ? { ok: true, actor } : { ok: false, status: 403, message: TAB_MESSAGES.notStaff };
  }

  return {
    async identify(authorization, as) {
      if (as !== null && !config.production) return staff(as);
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      if (!token) return { ok: false, status: 401, message: TAB_MESSAGES.noToken };
      if (!tenantId || !audience) return { ok: false, status: 401, message: TAB_MESSAGES.notConfigured };
      keys ??= createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer: issuers,
          audience,
          algorithms: ['RS256'],
          clockTolerance: 60,
          requiredClaims: ['exp', 'oid'],
        });
        if (payload.tid !== undefined && payload.tid !== tenantId) return { ok: false, status: 401, message: TAB_MESSAGES.badToken };
        return typeof payload.oid === 'string' ? await staff(payload.oid) : { ok: false, status: 401, message: TAB_MESSAGES.badToken };
      } catch (err) {
        ctx.log.info({ reason: err instanceof Error ? err.name : 'unknown' }, 'tab token refused');
        return { ok: false, status: 401, message: TAB_MESSAGES.badToken };
      }
    },
  };
}
