// Files sent the Teams way in a personal chat (issue #11, point 5): the director accepts the
// file consent card, the bot PUTs the file into the upload session (a fake upload endpoint on
// loopback) and shows a file info card; the file goes once, to its owner only; a declined
// file is deleted; a failed upload is said plainly.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONSENT_TEXTS } from '../../bot/file-consent.js';
import { FILE_INFO_TYPE } from '../../cards/staff/file-consent-card.js';
import type { Actor } from '../../services/actor.js';
import { StaffRole } from '../../services/db/index.js';
import { createListFile, type DeliveredFile } from '../../services/delivery/files.js';
import { listDocument, listRow } from '../fixtures/delivery/letters.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { startFakeTeams, type FakeTeams } from './fake-teams.js';
import { DIRECTOR, startInstance, TENANT, type Instance } from './handoff-harness.js';

interface Upload {
  method: string;
  path: string;
  range: string | undefined;
  body: string;
}

const prisma = testPrisma();
let teams: FakeTeams;
let bot: Instance;
let uploadServer: Server;
let uploadBase: string;
const uploads: Upload[] = [];
let uploadStatus = 201;
const director: Actor = { kind: 'director', staffId: DIRECTOR, name: 'Claire Directrice', uais: [] };
const OTHER = '00000000-0000-0000-0000-00000000d002';

beforeAll(async () => {
  await resetDatabase(prisma);
  teams = await startFakeTeams();
  bot = await startInstance(prisma);
  await prisma.staff.createMany({
    data: [
      { aadObjectId: DIRECTOR, upn: 'dir@example.org', displayName: 'Claire Directrice', role: StaffRole.DIRECTOR, uais: [] },
      { aadObjectId: OTHER, upn: 'autre@example.org', displayName: 'Autre Directeur', role: StaffRole.DIRECTOR, uais: [] },
    ],
  });
  uploadServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      uploads.push({ method: req.method ?? '', path: req.url ?? '', range: req.headers['content-range'], body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(uploadStatus, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => uploadServer.listen(0, '127.0.0.1', resolve));
  uploadBase = `http://127.0.0.1:${(uploadServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await bot?.app.close();
  await teams?.close();
  await new Promise<void>((resolve) => uploadServer.close(() => resolve()));
  await prisma.$disconnect();
});
beforeEach(() => {
  uploads.length = 0;
  uploadStatus = 201;
});

const personal = (who: string): string => `a:personal-${who}`;

/** Teams sends the person's answer to the consent card as an invoke. */
async function answer(who: string, action: 'accept' | 'decline', file: DeliveredFile, session: string = randomUUID()): Promise<number> {
  const value = {
    type: 'fileUpload',
    action,
    context: { fileId: file.id },
    ...(action === 'accept'
      ? {
          uploadInfo: {
            name: file.fileName,
            uploadUrl: `${uploadBase}/upload/${session}`,
            contentUrl: `https://contoso.sharepoint.com/personal/${session}/${file.fileName}`,
            uniqueId: session,
            fileType: 'csv',
          },
        }
      : {}),
  };
  const res = await fetch(`${bot.app.url}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      type: 'invoke',
      name: 'fileConsent/invoke',
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: teams.url,
      from: { id: `29:${who}`, aadObjectId: who, name: 'Directeur' },
      recipient: { id: '28:bot', name: 'Assistant' },
      conversation: { id: personal(who), conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      locale: 'fr-FR',
      value,
    }),
  });
  return res.status;
}

const lastText = (who: string): string | undefined => teams.messages(personal(who)).at(-1)?.text;

describe('a file sent the Teams way', () => {
  it('accepted: uploaded once with Content-Range, shown with a file info card; a second accept sends nothing', async () => {
    const file = await createListFile(bot.app.ctx, director, listDocument([listRow(1), listRow(2)]), 'csv');
    const before = teams.messages(personal(DIRECTOR)).length;
    expect(await answer(DIRECTOR, 'accept', file, 'session-1')).toBe(200);
    const shown = await teams.waitFor(
      () =>
        teams
          .messages(personal(DIRECTOR))
          .slice(before)
          .find((m) => m.attachments?.[0]?.contentType === FILE_INFO_TYPE),
      'the file info card',
    );
    expect(shown.text).toBe(`Le fichier « ${file.fileName} » est enregistré dans votre OneDrive.`);
    expect(shown.attachments?.[0]).toMatchObject({ contentType: FILE_INFO_TYPE, content: { uniqueId: 'session-1', fileType: 'csv' } });
    expect(JSON.stringify(shown.attachments)).toContain(`https://contoso.sharepoint.com/personal/session-1/${file.fileName}`);
    expect(uploads).toHaveLength(1);
    const size = Buffer.byteLength(uploads[0]?.body ?? '');
    expect(uploads[0]).toMatchObject({ method: 'PUT', path: '/upload/session-1', range: `bytes 0-${size - 1}/${size}` });
    expect(uploads[0]?.body).toContain('celine.dupont2');

    expect(await answer(DIRECTOR, 'accept', file)).toBe(200);
    await teams.waitFor(() => lastText(DIRECTOR) === CONSENT_TEXTS.used, 'the "already sent" line');
    expect(uploads).toHaveLength(1);
  });

  it('goes to its owner only: another director accepting it gets nothing', async () => {
    const file = await createListFile(bot.app.ctx, director, listDocument([listRow(1)]), 'csv');
    expect(await answer(OTHER, 'accept', file)).toBe(200);
    await teams.waitFor(() => lastText(OTHER) === CONSENT_TEXTS.gone, 'the "no longer available" line');
    expect(uploads).toHaveLength(0);
    expect(await prisma.storedFile.count({ where: { id: file.id, downloadedAt: null } })).toBe(1);
  });

  it('declined: the file is deleted at once', async () => {
    const file = await createListFile(bot.app.ctx, director, listDocument([listRow(1)]), 'csv');
    expect(await answer(DIRECTOR, 'decline', file)).toBe(200);
    await teams.waitFor(() => lastText(DIRECTOR) === CONSENT_TEXTS.declined, 'the decline line');
    expect(await prisma.storedFile.count({ where: { id: file.id } })).toBe(0);
    expect(uploads).toHaveLength(0);
  });

  it('a failed upload is said plainly, with the way to get the file again', async () => {
    uploadStatus = 500;
    const file = await createListFile(bot.app.ctx, director, listDocument([listRow(1)]), 'csv');
    expect(await answer(DIRECTOR, 'accept', file)).toBe(200);
    await teams.waitFor(() => lastText(DIRECTOR) === CONSENT_TEXTS.failed, 'the failure line');
    expect(CONSENT_TEXTS.failed).toContain('« mes envois »');
  });
});
