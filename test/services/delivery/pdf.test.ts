// PDF sheets and lists: real text extraction with pdftotext (poppler), accents intact.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSheetsPdf } from '../../../services/delivery/pdf.js';
import { renderListPdf } from '../../../services/delivery/pdf-list.js';
import type { Letter } from '../../../services/delivery/types.js';
import { child, letter, listDocument, listRow } from '../../fixtures/delivery/letters.js';

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pdf-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function sheets(letters: Letter[], onProgress?: (done: number, total: number) => void): Promise<{ file: string; pages: number }> {
  const file = path.join(dir, `sheets-${n++}.pdf`);
  const { pages } = await renderSheetsPdf(letters, createWriteStream(file), onProgress);
  return { file, pages };
}

/** Text of each page (pdftotext separates pages with a form feed). */
async function pagesText(file: string, layout = false): Promise<string[]> {
  const { stdout } = await run('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], { maxBuffer: 64 << 20 });
  return stdout.split('\f').slice(0, -1);
}

/** Lines joined, whitespace collapsed: a sentence wrapped over two lines is found whole. */
const flat = (s: string): string => s.replace(/\s+/g, ' ');

describe('individual sheets', () => {
  it.each([
    ['C01', ['Vos accès aux services en ligne', 'Votre mot de passe provisoire', 'Kq7#mPx4Tz9Wne', 'Activez votre compte en 2 étapes', 'Étape 1', 'Étape 2']],
    ['C03', ['Rappel de votre identifiant EduConnect', 'Mot de passe inchangé']],
    ['C05', ['Votre nouveau mot de passe provisoire', 'Kq7#mPx4Tz9Wne', "L'ancien mot de passe ne fonctionne plus"]],
  ] as const)('%s says what it must, with every accent', async (code, expected) => {
    const { file } = await sheets([letter(code)]);
    const [page, ...rest] = await pagesText(file);
    expect(rest).toHaveLength(0);
    const text = flat(page ?? '');
    for (const s of [
      ...expected,
      'École élémentaire Sainte-Famille',
      'UAI 0311478N',
      "À l'attention de Céline DUPONT",
      'celine.dupont114',
      'Léa DUPONT',
      'Enzo DUPONT',
      'Collège Pierre-de-Fermat',
      code === 'C03' ? 'https://assistance.educonnect.example/mon-compte' : 'https://assistance.educonnect.example/premiere-connexion',
      '0 809 54 06 06',
      'du lundi au vendredi de 8 h à 20 h et le samedi de 8 h à 12 h',
      'formulaire en ligne',
      'Le 3 septembre 2026',
    ]) {
      expect(text).toContain(s);
    }
    if (code === 'C03') expect(text).not.toContain('Kq7#mPx4Tz9Wne');
    if (code !== 'C01') expect(text).not.toContain('Étape 1');
  });

  it('keeps one page per account with 12 children and 80-character names', async () => {
    const long = 'DE LA ROCHEFOUCAULD-MONTMORENCY-ÉLÉONORE-ŒUVRE-BERNADETTE-ÇAVA-ÀÉÈÊËÎÏÔÖÙÛÜŸ-'.padEnd(80, 'Z');
    expect(long).toHaveLength(80);
    const crowded = letter('C01', {
      guardian: { lastName: long, firstName: 'Marie-Éléonore', identifier: 'm.delarochefoucauld12', email: null },
      school: { uai: '0311478N', name: `École ${long}` },
      children: Array.from({ length: 12 }, (_, i) =>
        child(i, { lastName: long, firstName: `Enfant${i + 1}`, className: 'CM1/CM2 – classe bilingue de Mme DUPONT-LAFORÊT' }),
      ),
    });
    const { file } = await sheets([crowded, letter('C05')]);
    const pages = await pagesText(file);
    expect(pages).toHaveLength(2);
    const first = flat(pages[0] ?? '');
    for (let i = 1; i <= 12; i++) expect(first).toContain(`Enfant${i} `);
    expect(first).toContain('m.delarochefoucauld12');
    expect(first).toContain('Kq7#mPx4Tz9Wne');
    expect(first).toContain('0 809 54 06 06');
    expect(first.replace(/ /g, '')).toContain('ÀÉÈÊËÎÏÔÖÙÛÜŸ');
  });

  it('renders a batch of 1,000 accounts as one file of 1,000 pages, reporting progress', async () => {
    const codes = ['C01', 'C03', 'C05'] as const;
    const letters = Array.from({ length: 1000 }, (_, i) =>
      letter(codes[i % 3]!, { guardianId: i, guardian: { lastName: 'Martin', firstName: 'Zoé', identifier: `zoe.martin${i}`, email: null } }),
    );
    const progress: [number, number][] = [];
    const { file, pages } = await sheets(letters, (done, total) => progress.push([done, total]));
    expect(pages).toBe(1000);
    const text = await pagesText(file);
    expect(text).toHaveLength(1000);
    expect(text[999]).toContain('zoe.martin999');
    expect(progress.at(-1)).toEqual([1000, 1000]);
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.every(([d], i) => i === 0 || d > (progress[i - 1]?.[0] ?? 0))).toBe(true);
    // Fonts are embedded once, as subsets: the file stays small.
    expect((await stat(file)).size).toBeLessThan(8 << 20);
    const { stdout } = await run('pdffonts', [file]);
    expect(stdout).toMatch(/DejaVuSans\b/);
    expect(stdout).toMatch(/DejaVuSansMono-Bold/);
  });
});

describe('account list PDF', () => {
  it('repeats the column header on every page and numbers pages "page N / M"', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => listRow(i));
    const file = path.join(dir, 'list.pdf');
    const { pages } = await renderListPdf(listDocument(rows), createWriteStream(file));
    expect(pages).toBeGreaterThan(1);
    const text = await pagesText(file);
    expect(text).toHaveLength(pages);
    text.forEach((page, i) => {
      const t = flat(page);
      expect(t).toContain("Nom de l'élève");
      expect(t).toContain('Identifiant');
      expect(t).toContain('Mot de passe *');
      expect(t).toContain('École : 0311478N – École élémentaire Sainte-Famille');
      expect(t).toContain('Date de création : 03/09/2026');
      expect(t).toContain(`page ${i + 1} / ${pages}`);
    });
    const all = flat(text.join(' '));
    for (const r of rows) expect(all).toContain(r.identifier + ' ');
    expect(all).toContain('ÉLÈVE0119');
    expect(all).toContain('Kq7#mPx4Tz1');
    expect(all).toContain('*****');
  });

  it('says so when the list is empty', async () => {
    const file = path.join(dir, 'empty.pdf');
    const { pages } = await renderListPdf(listDocument([]), createWriteStream(file));
    expect(pages).toBe(1);
    expect(flat((await pagesText(file))[0] ?? '')).toContain('Aucun compte sélectionné.');
    expect((await readFile(file)).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
