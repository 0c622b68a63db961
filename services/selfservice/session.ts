// "Mon compte" sessions of the self-service pages: a SESSION token (random, hashed) held in
// a signed cookie by the page layer. A temporary password never opens a session: it must be
// changed first (première connexion).
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { audit } from '../audit.js';
import { checkPassword } from './password-check.js';
import { consumeToken, createToken, peekToken } from './tokens.js';
import { FORCED_CHANGE_TEXT, startForcedChange } from './forced-change.js';
import { VISIBLE_GUARDIAN } from '../accounts/scope.js';

export const SESSION_TTL_MS = 30 * 60_000;

export type LoginResult =
  | { ok: true; sessionToken: string; guardianId: number }
  | { ok: false; reason: 'bad_credentials' | 'rate_limited'; text: string }
  /** The password is right but temporary: go to the first-login page. */
  | { ok: false; reason: 'must_change'; text: string }
  /** The usual password after a mass reset: a ticket to the forced choice of a new one. */
  | { ok: false; reason: 'must_renew'; text: string; ticket: string };

export async function login(ctx: ServiceContext, actor: Actor, identifier: string, password: string): Promise<LoginResult> {
  const check = await checkPassword(ctx, actor, {
    purpose: 'login',
    identifier,
    password,
    find: (id) => ctx.db.guardian.findFirst({ where: { ...VISIBLE_GUARDIAN, identifier: id }, include: { credential: true } }),
  });
  if (!check.ok) {
    return check.reason === 'rate_limited' ? check : { ok: false, reason: 'bad_credentials', text: 'Identifiant ou mot de passe incorrect.' };
  }
  const { guardian: g, match } = check;
  if (match === 'temporary') {
    return {
      ok: false,
      reason: 'must_change',
      text: 'Votre mot de passe est provisoire : choisissez d’abord votre mot de passe personnel (première connexion).',
    };
  }
  if (g.credential?.mustChangeSince) {
    return { ok: false, reason: 'must_renew', text: FORCED_CHANGE_TEXT, ticket: await startForcedChange(ctx, actor, g.id) };
  }
  const sessionToken = await ctx.db.$transaction(async (tx) => {
    const t = await createToken(ctx, tx, { kind: 'SESSION', guardianId: g.id, ttlMs: SESSION_TTL_MS });
    await tx.guardian.update({ where: { id: g.id }, data: { lastAccessAt: ctx.now() } });
    await audit(tx, { actor, action: 'selfservice.login', guardianId: g.id, outcome: 'success', at: ctx.now() });
    return t;
  });
  return { ok: true, sessionToken, guardianId: g.id };
}

/** The guardian actor of a session token, or null (unknown, expired, ended, account merged). */
export async function sessionActor(ctx: ServiceContext, sessionToken: string, source: string): Promise<Actor | null> {
  const t = await peekToken(ctx, ctx.db, ['SESSION'], sessionToken);
  if (t.status !== 'valid' || t.row.guardianId === null) return null;
  const live = await ctx.db.guardian.count({ where: { ...VISIBLE_GUARDIAN, id: t.row.guardianId } });
  return live ? { kind: 'guardian', guardianId: t.row.guardianId, source } : null;
}

export async function logout(ctx: ServiceContext, sessionToken: string): Promise<void> {
  await ctx.db.$transaction((tx) => consumeToken(ctx, tx, ['SESSION'], sessionToken));
}
