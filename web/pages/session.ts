// The "Mon compte" session of a browser: a SESSION token in a signed cookie (services/selfservice/session.ts).
import type restify from 'restify';
import type { Actor } from '../../services/actor.js';
import type { ServiceContext } from '../../services/context.js';
import { sessionActor } from '../../services/selfservice/session.js';
import { readSignedCookie, requestSource } from './http.js';

export const SESSION_COOKIE = 'ec_session';

/** The logged-in guardian of the request, or null. */
export async function currentSession(ctx: ServiceContext, req: restify.Request): Promise<{ actor: Actor; token: string } | null> {
  const token = readSignedCookie(ctx, req, SESSION_COOKIE);
  if (!token) return null;
  const actor = await sessionActor(ctx, token, requestSource(req));
  return actor ? { actor, token } : null;
}
