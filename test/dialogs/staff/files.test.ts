// Files produced again from the batch list once their link has expired (and the class of
// fault: a file that cannot be had again): the sheets of a notification batch (as they read
// now, nobody notified again) and a list of one class, in the format asked; another school's
// file is refused like an unknown one.
import { describe, expect, it } from 'vitest';
import { BatchesDialog } from '../../../dialogs/staff/batches-dialog.js';
import { notify } from '../../../services/accounts/notify.js';
import { listAccounts } from '../../../services/accounts/list.js';
import { createListFile, openSignedFile } from '../../../services/delivery/files.js';
import { dialogClient, dialogDeps, runTranscript, type TranscriptStep, clickCard } from '../../helpers/dialogs.js';
import type { Activity } from 'botbuilder';
import { useStaffWorld } from './setup.js';
import { director, UAI_A } from './fixtures.js';

const env = useStaffWorld();

/** Opens the download link of a reply the way the file route does. */
async function download(turn: readonly Partial<Activity>[]): Promise<{ status: string; text: string; type: string }> {
  const m = /"url":"([^"]+)"/.exec(JSON.stringify(turn));
  if (!m?.[1]) throw new Error('no link');
  const url = new URL(m[1]);
  const id = decodeURIComponent(url.pathname.split('/').at(-1) ?? '');
  const opened = await openSignedFile(env.ctx, id, url.searchParams.get('exp') ?? undefined, url.searchParams.get('sig') ?? undefined);
  return opened.status === 'ok'
    ? { status: 'ok', text: opened.file.content.toString('utf8'), type: opened.file.contentType }
    : { status: opened.status, text: '', type: '' };
}

describe('files produced again from the batch list', () => {
  it('sheets of a batch and a class list whose links expired are produced again, up to date, nobody notified again', async () => {
    const sheets = await notify(env.ctx, director, UAI_A, [env.world.g.durandNotified, env.world.g.dupontNotNotified], { channel: 'sheet', reset: false });
    const list = await listAccounts(env.ctx, director, UAI_A, { classIds: [env.world.classA1] });
    const old = await createListFile(env.ctx, director, list, 'csv');
    env.ctx.advance(60 * 60 * 1000);
    expect(
      (await openSignedFile(env.ctx, old.id, String(Math.floor(old.expiresAt.getTime() / 1000)), new URL(old.url).searchParams.get('sig') ?? '')).status,
    ).toBe('expired');
    const client = dialogClient(new BatchesDialog(dialogDeps(env.ctx)), { actor: director, dialogOptions: { entities: { uai: [UAI_A] } } });
    const steps: TranscriptStep[] = [
      {
        user: 'refaire les fiches',
        bot: ['Fiches et listes des 30 derniers jours', 'Fiches du', '2 compte(s)', 'Liste de la classe CM1 A du', '2 ligne(s)', 'Refaire en CSV'],
      },
      {
        user: (p) => clickCard(p, `file:sheets.${sheets.batchId}`),
        bot: ['Les fiches sont prêtes', '2 page(s)', "aucun compte n'a été notifié de nouveau", 'Télécharger'],
      },
    ];
    const turns = await runTranscript(client, steps);
    const pdf = await download(turns[1] ?? []);
    expect(pdf).toMatchObject({ status: 'ok', type: 'application/pdf' });
    expect(await env.prisma.auditLog.count({ where: { action: 'accounts.notify' } })).toBe(2);

    const again = dialogClient(new BatchesDialog(dialogDeps(env.ctx)), { actor: director, dialogOptions: { entities: { uai: [UAI_A] } } });
    const listRow = await env.prisma.auditLog.findFirstOrThrow({ where: { action: 'accounts.list' } });
    const listTurns = await runTranscript(again, [
      { user: 'suivre les envois', bot: 'Liste de la classe CM1 A' },
      { user: (p) => clickCard(p, `file:list.${listRow.id}.csv`), bot: ['Liste des comptes de la classe CM1 A – École Jules Ferry', '2 ligne(s), à jour.'] },
    ]);
    const csv = await download(listTurns[1] ?? []);
    expect(csv.status).toBe('ok');
    expect(csv.text).toContain('DURAND;Luc');
    expect(csv.text).not.toContain('BERNARD');
  });

  it('refuses a forged button naming the sheets of another school like an unknown batch', async () => {
    const mine = await notify(env.ctx, director, UAI_A, [env.world.g.durandNotified], { channel: 'sheet', reset: false });
    const other = await notify(env.ctx, director, '0310002B', [env.world.g.schoolB], { channel: 'sheet', reset: false });
    const inA = dialogClient(new BatchesDialog(dialogDeps(env.ctx)), { actor: director, dialogOptions: { entities: { uai: [UAI_A] } } });
    const turns = await runTranscript(inA, [{ user: 'suivre les envois', bot: 'Fiches du', not: 'Aucun envoi par e-mail ni' }]);
    const forged = clickCard(turns[0] ?? [], `file:sheets.${mine.batchId}`);
    const value = { ...(forged.value as object), choice: `file:sheets.${other.batchId}` };
    await runTranscript(inA, [{ user: { type: 'message', value }, bot: "Nous n'avons rien trouvé", not: ['LEROY', 'Marie Curie'] }]);
    expect(await env.prisma.storedFile.count()).toBe(0);
  });
});
