// Single-use confirmations: a confirmed action is carried out once, whatever the number of
// clicks, connector retries or instances that deliver the confirmation.
//
// API (for every helper that needs an action to happen once):
//
//   const id = await issueConfirmation(ctx, { kind: 'accounts.notify', actor });
//     -> when the confirmation card/question is shown; put `id` in the card data or keep it
//        in the dialog state. `actor` restricts who may confirm (omit it: anyone, e.g. a
//        claim card in the agents' channel). Valid CONFIRMATION_TTL_MS (24 h) by default.
//
//   await consumeConfirmation(ctx, tx, { kind: 'accounts.notify', actor, id });
//     -> FIRST statement of the action's own transaction. One UPDATE … WHERE consumedAt IS
//        NULL: concurrent transactions wait on the row lock and then see it consumed. Throws
//        ServiceError 'conflict' (ALREADY_DONE, polite French) when already consumed, or
//        'expired' when unknown/expired/of another actor. If the action fails later, its
//        transaction rolls back and the confirmation can be used again.
//
//   await claimOnce(ctx, tx, { kind: 'form:/mot-de-passe-perdu', actor, id })  -> boolean
//     -> for ids the caller did not issue (a random hidden field of a self-service form):
//        INSERT … ON CONFLICT DO NOTHING; false when the id was already claimed.
//   await setConfirmationOutcome(ctx, tx, id, outcome) / confirmationOutcome(ctx, id)
//     -> what the first submission answered, so that a replay can answer the same (no secret).
import { randomUUID } from 'node:crypto';
import { actorId, type Actor } from './actor.js';
import type { ServiceContext } from './context.js';
import type { Prisma, Tx } from './db/index.js';
import { ServiceError } from './errors.js';

export const CONFIRMATION_TTL_MS = 24 * 3_600_000;

export const ALREADY_DONE = 'Cette demande a déjà été prise en compte : elle n’a pas été refaite. Vous n’avez rien d’autre à faire.';
const EXPIRED = 'Cette confirmation n’est plus valable. Recommencez la demande, s’il vous plaît.';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isConfirmationId = (id: unknown): id is string => typeof id === 'string' && UUID.test(id);

export interface IssueInput {
  kind: string;
  /** Who may consume it; omitted: every actor may. */
  actor?: Actor;
  ttlMs?: number;
}

export async function issueConfirmation(ctx: ServiceContext, input: IssueInput, db: Tx = ctx.db): Promise<string> {
  const id = randomUUID();
  await db.confirmation.create({
    data: {
      id,
      kind: input.kind,
      actorId: input.actor ? actorId(input.actor) : null,
      expiresAt: new Date(ctx.now().getTime() + (input.ttlMs ?? CONFIRMATION_TTL_MS)),
    },
  });
  return id;
}

export interface ConsumeInput {
  kind: string;
  actor: Actor;
  id: string;
}

/** Consumes an issued confirmation in the caller's transaction (see the API above). */
export async function consumeConfirmation(ctx: ServiceContext, tx: Tx, input: ConsumeInput): Promise<void> {
  if (!isConfirmationId(input.id)) throw new ServiceError('expired', EXPIRED, 'malformed confirmation id');
  const now = ctx.now();
  const who = actorId(input.actor);
  const rows = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "Confirmation" SET "consumedAt" = ${now}
    WHERE id = ${input.id}::uuid AND kind = ${input.kind} AND "consumedAt" IS NULL AND "expiresAt" > ${now}
      AND ("actorId" IS NULL OR "actorId" = ${who})
    RETURNING id`;
  if (rows.length === 1) return;
  const row = await tx.confirmation.findUnique({ where: { id: input.id } });
  if (row?.kind === input.kind && row.consumedAt && (row.actorId === null || row.actorId === who)) {
    ctx.log.info({ kind: input.kind }, 'confirmation replayed: nothing done');
    throw new ServiceError('conflict', ALREADY_DONE, `confirmation ${input.kind} already consumed`);
  }
  throw new ServiceError('expired', EXPIRED, `confirmation ${input.kind} unknown, expired or of another actor`);
}

/** Claims a caller-made id once (INSERT … ON CONFLICT DO NOTHING): true the first time only. */
export async function claimOnce(ctx: ServiceContext, tx: Tx, input: ConsumeInput & { ttlMs?: number }): Promise<boolean> {
  if (!isConfirmationId(input.id)) return true; // no usable id: nothing to deduplicate against
  const now = ctx.now();
  const expires = new Date(now.getTime() + (input.ttlMs ?? CONFIRMATION_TTL_MS));
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Confirmation" (id, kind, "actorId", "createdAt", "expiresAt", "consumedAt")
    VALUES (${input.id}::uuid, ${input.kind}, ${actorId(input.actor)}, ${now}, ${expires}, ${now})
    ON CONFLICT (id) DO NOTHING
    RETURNING id`;
  return rows.length === 1;
}

/** Gives an id back (the action it guarded failed before doing anything). */
export async function releaseClaim(tx: Tx, id: string): Promise<void> {
  if (isConfirmationId(id)) await tx.confirmation.deleteMany({ where: { id } });
}

export async function setConfirmationOutcome(tx: Tx, id: string, outcome: Prisma.InputJsonValue): Promise<void> {
  if (isConfirmationId(id)) await tx.confirmation.updateMany({ where: { id }, data: { outcome } });
}

export async function confirmationOutcome(ctx: ServiceContext, id: string): Promise<Prisma.JsonValue | null> {
  if (!isConfirmationId(id)) return null;
  const row = await ctx.db.confirmation.findUnique({ where: { id }, select: { outcome: true } });
  return row?.outcome ?? null;
}

/** Housekeeping (services/maintenance.ts): confirmations a week past their expiry. */
export async function purgeConfirmations(ctx: ServiceContext, olderThan: Date): Promise<number> {
  const r = await ctx.db.confirmation.deleteMany({ where: { expiresAt: { lt: olderThan } } });
  return r.count;
}
