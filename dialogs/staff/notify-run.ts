// Carrying out a confirmed (re)notification, shared by the director's notify dialog and the
// agent's account actions: notify, then the sheets as one PDF (progress every quarter on large
// batches) offered once (see file-offer.ts), or the email report.
import type { TurnContext } from 'botbuilder';
import type { Actor } from '../../services/actor.js';
import type { ServiceContext } from '../../services/context.js';
import { notify, type NotifyOptions } from '../../services/accounts/notify.js';
import { createSheetsFile } from '../../services/delivery/files.js';
import { offerFile } from './file-offer.js';

/** Batches from this size on get progress messages while the sheets are prepared. */
export const PROGRESS_FROM = 40;

/** The quarters of `total` reached by `done` since `last` ("250 / 1000" at 25 %, 50 %, 75 %). */
export function progressMilestone(done: number, total: number, last: number): number | undefined {
  const quarter = Math.floor((done * 4) / total);
  return quarter > last && quarter < 4 ? quarter : undefined;
}

export interface NotifyRunOutcome {
  notified: number;
  batchId: string;
}

export async function runNotify(
  ctx: ServiceContext,
  context: TurnContext,
  actor: Actor,
  uai: string,
  guardianIds: number[],
  opts: NotifyOptions,
): Promise<NotifyRunOutcome> {
  const result = await notify(ctx, actor, uai, guardianIds, opts);
  if (opts.channel === 'sheet' && result.letters.length > 0) {
    const total = result.letters.length;
    let lastQuarter = 0;
    let sending: Promise<unknown> = Promise.resolve();
    if (total >= PROGRESS_FROM) await context.sendActivity(`Préparation des fiches : 0 / ${total}…`);
    const file = await createSheetsFile(ctx, actor, result.letters, (done) => {
      const quarter = total >= PROGRESS_FROM ? progressMilestone(done, total, lastQuarter) : undefined;
      if (quarter === undefined) return;
      lastQuarter = quarter;
      const shown = Math.round((total * quarter) / 4);
      sending = sending.then(() => context.sendActivity(`Préparation des fiches : ${shown} / ${total}…`));
    });
    await sending;
    await offerFile(context, file, 'Les fiches sont prêtes', [
      `${result.notified} compte(s) notifié(s), ${file.pages} page(s) à imprimer et à remettre aux responsables.`,
      ...result.warnings,
    ]);
  } else if (opts.channel === 'email') {
    const lines = [`${result.notified} e-mail(s) mis en file d'envoi : ils partent dans les minutes qui viennent.`, ...result.warnings];
    await context.sendActivity(lines.join('\n\n'));
  } else {
    await context.sendActivity(['Aucun compte n’a été notifié.', ...result.warnings].join('\n\n'));
  }
  return { notified: result.notified, batchId: result.batchId };
}
