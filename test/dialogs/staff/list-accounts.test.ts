// List accounts dialog: PDF or CSV, served through the signed file route to the director.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { ListAccountsDialog } from '../../../dialogs/staff/list-accounts-dialog.js';
import { registerFileRoutes } from '../../../web/files-routes.js';
import { resetDatabase } from '../../helpers/db.js';
import { startTestApp, type TestApp } from '../../helpers/server.js';
import { dialogClient, dialogDeps, runTranscript } from '../../helpers/dialogs.js';
import { buildStaffWorld, director, UAI_A } from './fixtures.js';
import { FILE_CONSENT_TYPE } from '../../../cards/staff/file-consent-card.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ routes: [registerFileRoutes] });
});
afterAll(async () => app?.close());
beforeEach(async () => {
  await resetDatabase(app.ctx.db);
  await buildStaffWorld(app.ctx.db);
});

function link(turn: readonly Partial<Activity>[]): string {
  const m = /"url":"([^"]+)"/.exec(JSON.stringify(turn));
  if (!m?.[1]) throw new Error('no link');
  return m[1];
}

describe('ListAccountsDialog', () => {
  it('gives a CSV link that downloads the school list', async () => {
    const client = dialogClient(new ListAccountsDialog(dialogDeps(app.ctx)), {
      actor: director,
      dialogOptions: { entities: { uai: [UAI_A], format: ['csv'] } },
    });
    const turns = await runTranscript(client, [
      { user: 'liste des comptes en csv', bot: 'La liste de tout l’établissement, ou d’une classe ?' },
      {
        user: "tout l'établissement",
        bot: ['Liste des comptes de École Jules Ferry', /Educonnect-ListeResponsables-\d{14}\.csv/, '5 ligne(s)', 'Télécharger'],
      },
    ]);
    const res = await fetch(link(turns[1] ?? []));
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('DURAND;Luc');
    expect(body).toContain('Tempo-Pass-2026');
    expect(body).not.toContain('SECRET');
  });

  it('in a Teams personal chat, offers the file the Teams way (file consent card, no link)', async () => {
    const client = dialogClient(new ListAccountsDialog(dialogDeps(app.ctx)), {
      actor: director,
      teamsPersonal: true,
      dialogOptions: { entities: { uai: [UAI_A], format: ['csv'] } },
    });
    const turns = await runTranscript(client, [
      { user: 'liste des comptes en csv', bot: 'La liste de tout l’établissement, ou d’une classe ?' },
      {
        user: "tout l'établissement",
        bot: ['Liste des comptes de École Jules Ferry', '5 ligne(s)', 'Acceptez l’envoi', 'une seule fois, pendant 15 minutes'],
        not: ['Télécharger', '/fichiers/'],
      },
    ]);
    const attachment = turns[1]?.flatMap((a) => a.attachments ?? [])[0];
    expect(attachment?.contentType).toBe(FILE_CONSENT_TYPE);
    expect(attachment?.name).toMatch(/^Educonnect-ListeResponsables-\d{14}\.csv$/);
    const content = attachment?.content as { sizeInBytes: number; acceptContext: { fileId: string }; description: string };
    const stored = await app.ctx.db.storedFile.findUniqueOrThrow({ where: { id: content.acceptContext.fileId } });
    expect(content.sizeInBytes).toBe(stored.content.length);
    expect(content.description).toContain('mots de passe provisoires');
  });

  it('asks the format, gives a PDF; caps wrong answers', async () => {
    const client = dialogClient(new ListAccountsDialog(dialogDeps(app.ctx)), { actor: director });
    const turns = await runTranscript(client, [
      { user: 'liste des comptes', bot: 'Pour quel établissement ?' },
      { user: 'jules ferry', bot: 'ou d’une classe ?' },
      { user: 'tous', bot: 'Dans quel format ?' },
      { user: 'pdf', bot: /Educonnect-ListeResponsables-\d{14}\.pdf/ },
    ]);
    const res = await fetch(link(turns[3] ?? []));
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const capped = dialogClient(new ListAccountsDialog(dialogDeps(app.ctx)), { actor: director, dialogOptions: { entities: { uai: [UAI_A] } } });
    await runTranscript(capped, [
      { user: 'liste', bot: 'ou d’une classe ?' },
      { user: 'tous', bot: 'Dans quel format ?' },
      { user: 'word', bot: "Merci de choisir l'une des réponses proposées" },
      { user: 'odt', bot: "Merci de choisir l'une des réponses proposées" },
      { user: 'rtf', bot: "Je n'arrive pas à comprendre votre réponse" },
    ]);
  });
});
