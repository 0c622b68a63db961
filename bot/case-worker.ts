// The cases' proactive messages, run by every instance with WORKERS on: directors' cards
// when parents' requests open (services/case-alerts.ts decides when, once for all
// instances), and the messages to parents' chats when their case moves
// (services/case-notices.ts). Both go through stored conversation references.
import { CardFactory, MessageFactory } from 'botbuilder';
import type { ServiceContext } from '../services/context.js';
import { runCaseAlerts, type SchoolAlert } from '../services/case-alerts.js';
import { chatNoticeFailed, chatNoticeSent, claimChatNotices } from '../services/case-notices.js';
import { findConversationRef, findStaffChatRef } from '../services/conversation-refs.js';
import { caseAlertCard } from '../cards/staff/cases-card.js';
import { CASE_CONFIRMATION } from '../services/cases.js';
import { issueConfirmation } from '../services/confirmations.js';
import type { ProactiveSender } from './proactive.js';
import { startPeriodic } from '../services/periodic.js';

export interface CaseWorker {
  /** One pass (alerts then chat notices); the loop calls it, tests too. */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export interface CaseWorkerOptions {
  ctx: ServiceContext;
  proactive: ProactiveSender;
  /** Pause between passes (default 5 s: a new case reaches its director within seconds). */
  intervalMs?: number;
}

export function createCaseWorker({ ctx, proactive }: Omit<CaseWorkerOptions, 'intervalMs'>): Pick<CaseWorker, 'runOnce'> {
  async function alertDirector(staffId: string, alert: SchoolAlert): Promise<'sent' | 'unreachable'> {
    const ref = await findStaffChatRef(ctx, staffId);
    if (!ref) return 'unreachable';
    // Each case's buttons on this card act once (services/confirmations.ts).
    const confirmations = Object.fromEntries(
      await Promise.all(alert.cases.map(async (c) => [c.reference, await issueConfirmation(ctx, { kind: CASE_CONFIRMATION })] as const)),
    );
    const card = caseAlertCard(alert.schoolName, alert.cases, alert.total, confirmations);
    const summary =
      alert.total === 1 ? `Nouvelle demande d'un parent pour ${alert.schoolName}.` : `${alert.total} nouvelles demandes de parents pour ${alert.schoolName}.`;
    await proactive.send(ref.reference, [MessageFactory.attachment(CardFactory.adaptiveCard(card), summary)]);
    return 'sent';
  }

  async function deliverChatNotices(): Promise<void> {
    for (const notice of await claimChatNotices(ctx)) {
      const ref = await findConversationRef(ctx, notice.chatRefKey);
      if (!ref) {
        await chatNoticeFailed(ctx, notice, 'no stored conversation', true);
        continue;
      }
      try {
        await proactive.send(ref.reference, [MessageFactory.text(notice.text)]);
        await chatNoticeSent(ctx, notice.id);
      } catch (err) {
        ctx.log.warn({ err, notice: notice.id }, 'case notice: chat message not delivered');
        await chatNoticeFailed(ctx, notice, err instanceof Error ? err.message : String(err), false);
      }
    }
  }

  return {
    async runOnce() {
      await runCaseAlerts(ctx, alertDirector);
      await deliverChatNotices();
    },
  };
}

export function startCaseWorker(options: CaseWorkerOptions): CaseWorker {
  const worker = createCaseWorker(options);
  const periodic = startPeriodic({ name: 'case worker', intervalMs: options.intervalMs ?? 5_000, log: options.ctx.log, immediate: true }, worker.runOnce);
  return { runOnce: worker.runOnce, stop: () => periodic.stop() };
}
