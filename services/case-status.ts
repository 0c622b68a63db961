// "Où en est ma demande EDU-2026-000123 ?": anyone holding a reference learns its state and
// school, nothing personal (no name, no contact). References follow each other, so a
// parent's source may ask only a few per window (no walking through other people's cases).
import type { Actor } from './actor.js';
import { isStaff } from './actor.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';
import { caseStatusText, NOTICE_KIND } from './case-wording.js';
import { parisWallClock } from './paris.js';
import { hit } from './selfservice/ratelimit.js';

/** Status look-ups a parent's source may make per rate-limit window. */
export const STATUS_LOOKUPS_PER_SOURCE = 10;

const REFERENCE = /^EDU-(\d{4})-(\d{6})$/;

export interface CaseStatus {
  reference: string;
  schoolName: string;
  /** The sentence for the parent: state, school, what to do now. */
  text: string;
}

const day = (d: Date): string => {
  const w = parisWallClock(d);
  return `${String(w.day).padStart(2, '0')}/${String(w.month).padStart(2, '0')}/${w.year}`;
};

export async function caseStatus(ctx: ServiceContext, actor: Actor, reference: string): Promise<CaseStatus> {
  const ref = reference.trim().toUpperCase();
  if (!REFERENCE.test(ref)) throw new ServiceError('invalid', "Cette référence n'a pas la bonne forme : elle ressemble à EDU-2026-000123.");
  if (actor.kind === 'anonymous' || actor.kind === 'guardian') {
    const limit = await hit(ctx, 'source', `case-status:${actor.source}`, STATUS_LOOKUPS_PER_SOURCE);
    if (!limit.allowed)
      throw new ServiceError(
        'rate_limited',
        `Vous avez consulté plusieurs demandes. Merci de réessayer dans ${limit.retryAfterMinutes} minute(s).`,
        `case status rate limit for ${actor.source}`,
      );
  } else if (!isStaff(actor)) {
    throw new ServiceError('forbidden', 'Je ne peux pas répondre à cette demande.', `actor ${actor.kind} asked a case status`);
  }
  const c = await ctx.db.case.findUnique({
    where: { reference: ref },
    select: {
      reference: true,
      kind: true,
      state: true,
      school: { select: { name: true } },
      events: { orderBy: [{ at: 'desc' }, { id: 'desc' }], take: 1, select: { at: true } },
    },
  });
  if (!c)
    throw new ServiceError(
      'not_found',
      `Je ne trouve pas de demande ${ref}. Vérifiez la référence : elle figure dans le message reçu quand la demande a été enregistrée.`,
      `case ${ref}`,
    );
  return {
    reference: c.reference,
    schoolName: c.school.name,
    text: caseStatusText(c.reference, NOTICE_KIND[c.kind], c.state, c.school.name, day(c.events[0]?.at ?? ctx.now())),
  };
}
