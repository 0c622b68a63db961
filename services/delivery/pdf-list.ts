// The account lists as PDF (seed 001 §5.4): landscape A4 tables, one row per pupil and
// guardian, the header repeated on every page. Fonts, ink and document handling: pdf.ts.
import type { ListDocument, ListRow } from './types.js';
import type { Writable } from 'node:stream';
import { A4, ACCENT, endDocument, INK, MONO, MUTED, newDocument, SANS, SANS_BOLD, type Doc } from './pdf.js';

const LANDSCAPE = { width: A4.height, height: A4.width };
const LIST_MARGIN = 30;
const LIST_WIDTH = LANDSCAPE.width - 2 * LIST_MARGIN;
const CELL_PAD = 3;
const ROW_SIZE = 8;
const FOOTER_TOP = LANDSCAPE.height - LIST_MARGIN - 14;

interface Column {
  title: string;
  width: number;
  mono?: boolean;
  value(row: ListRow): string;
}

const COLUMNS: Column[] = [
  { title: "Nom de l'élève", width: 0.12, value: (r) => r.pupilLastName },
  { title: "Prénom de l'élève", width: 0.11, value: (r) => r.pupilFirstName },
  { title: 'Niveau', width: 0.07, value: (r) => r.level },
  { title: 'Classe', width: 0.14, value: (r) => r.className },
  { title: 'Nom du responsable', width: 0.13, value: (r) => r.guardianLastName },
  { title: 'Prénom du responsable', width: 0.12, value: (r) => r.guardianFirstName },
  { title: 'Identifiant', width: 0.17, mono: true, value: (r) => r.identifier },
  { title: 'Mot de passe *', width: 0.14, mono: true, value: (r) => r.password },
];

const FOOTNOTE = '* Seuls les mots de passe provisoires sont affichés ; un mot de passe choisi par le responsable est masqué (*****).';

function cellWidth(c: Column): number {
  return c.width * LIST_WIDTH;
}

function rowHeight(doc: Doc, cells: string[], header: boolean): number {
  let h = 0;
  COLUMNS.forEach((c, i) => {
    const font = header ? SANS_BOLD : c.mono ? MONO : SANS;
    const text = cells[i] ?? '';
    h = Math.max(
      h,
      doc
        .font(font)
        .fontSize(ROW_SIZE)
        .heightOfString(text || ' ', { width: cellWidth(c) - 2 * CELL_PAD }),
    );
  });
  return h + 2 * CELL_PAD;
}

function drawRow(doc: Doc, cells: string[], y: number, height: number, header: boolean, shaded: boolean): void {
  if (header || shaded)
    doc
      .save()
      .rect(LIST_MARGIN, y, LIST_WIDTH, height)
      .fill(header ? '#dde5ef' : '#f6f8fa')
      .restore();
  let x = LIST_MARGIN;
  COLUMNS.forEach((c, i) => {
    const font = header ? SANS_BOLD : c.mono ? MONO : SANS;
    doc
      .font(font)
      .fontSize(ROW_SIZE)
      .fillColor(INK)
      .text(cells[i] ?? '', x + CELL_PAD, y + CELL_PAD, { width: cellWidth(c) - 2 * CELL_PAD });
    x += cellWidth(c);
  });
  doc
    .save()
    .moveTo(LIST_MARGIN, y + height)
    .lineTo(LIST_MARGIN + LIST_WIDTH, y + height)
    .lineWidth(0.3)
    .strokeColor('#b0b8c4')
    .stroke()
    .restore();
}

const DATE_TIME = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });

function drawListHeader(doc: Doc, meta: Pick<ListDocument, 'school' | 'createdAt'>): number {
  let y = LIST_MARGIN;
  doc.font(SANS_BOLD).fontSize(13).fillColor(ACCENT).text('Liste des comptes responsables', LIST_MARGIN, y, { width: LIST_WIDTH, lineBreak: false });
  y += 18;
  doc.font(SANS).fontSize(9).fillColor(INK);
  doc.text(`École : ${meta.school.uai} – ${meta.school.name}`, LIST_MARGIN, y, { width: LIST_WIDTH * 0.7, height: 12, ellipsis: true });
  doc.text(`Date de création : ${DATE_TIME.format(meta.createdAt).replace(' ', ' à ')}`, LIST_MARGIN + LIST_WIDTH * 0.7, y, {
    width: LIST_WIDTH * 0.3,
    align: 'right',
    lineBreak: false,
  });
  return y + 18;
}

function drawListFooter(doc: Doc, page: number, pages: number): void {
  doc
    .font(SANS)
    .fontSize(7.5)
    .fillColor(MUTED)
    .text(FOOTNOTE, LIST_MARGIN, FOOTER_TOP, { width: LIST_WIDTH * 0.82, lineBreak: false });
  doc.text(`page ${page} / ${pages}`, LIST_MARGIN + LIST_WIDTH * 0.82, FOOTER_TOP, { width: LIST_WIDTH * 0.18, align: 'right', lineBreak: false });
}

/**
 * The account list as a table: the column header is repeated on every page, each page says
 * "page N / M". Rows are measured first (to know M), then drawn.
 */
export async function renderListPdf(list: ListDocument, out: Writable): Promise<{ pages: number }> {
  const { rows } = list;
  const doc = newDocument(out, 'landscape', 'EduConnect – liste des comptes responsables');
  const titles = COLUMNS.map((c) => c.title);
  const cells = rows.map((r) => COLUMNS.map((c) => c.value(r)));
  // Measure: the header block and the column header take the same room on every page.
  const tableTop = LIST_MARGIN + 36;
  const headerHeight = rowHeight(doc, titles, true);
  const heights = cells.map((c) => rowHeight(doc, c, false));
  const pagesOfRows: number[][] = [[]];
  let y = tableTop + headerHeight;
  heights.forEach((h, i) => {
    const current = pagesOfRows[pagesOfRows.length - 1] as number[];
    if (y + h > FOOTER_TOP - 6 && current.length > 0) {
      pagesOfRows.push([i]);
      y = tableTop + headerHeight + h;
    } else {
      current.push(i);
      y += h;
    }
  });
  const pages = pagesOfRows.length;
  pagesOfRows.forEach((indexes, p) => {
    doc.addPage({ size: 'A4', layout: 'landscape', margin: 0 });
    let rowY = drawListHeader(doc, list);
    drawRow(doc, titles, rowY, headerHeight, true, false);
    rowY += headerHeight;
    if (rows.length === 0) {
      doc
        .font(SANS)
        .fontSize(9)
        .fillColor(MUTED)
        .text('Aucun compte sélectionné.', LIST_MARGIN, rowY + 8, { width: LIST_WIDTH });
    }
    for (const i of indexes) {
      const h = heights[i] as number;
      drawRow(doc, cells[i] as string[], rowY, h, false, i % 2 === 1);
      rowY += h;
    }
    drawListFooter(doc, p + 1, pages);
  });
  await endDocument(doc, out);
  return { pages };
}
