// Printable documents with pdfkit: the individual sheets (C01, C03, C05; one A4 page per
// account) here, the account lists (seed 001 §5.4) in pdf-list.ts, on the same fonts and ink. Output is streamed into a Writable: a
// batch of 1,000 sheets never sits in memory as one buffer. Fonts: DejaVu, embedded
// (subsets), so every French accent is present.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type PDFDocument from 'pdfkit';
import { lazyModule } from '../lazy-module.js';
import type { Letter } from './types.js';
import { letterWording, type LetterWording } from './wording.js';

const require = createRequire(import.meta.url);
/** pdfkit and fontkit (~6 MB of heap) are loaded with the first document, not at start. */
const pdfkit = lazyModule<typeof PDFDocument>('pdfkit');
const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export const SANS = 'DejaVuSans';
export const SANS_BOLD = 'DejaVuSans-Bold';
export const MONO = 'DejaVuSansMono';
export const MONO_BOLD = 'DejaVuSansMono-Bold';
const FONT_FILES = [SANS, SANS_BOLD, MONO, MONO_BOLD];

let fontCache: Map<string, Buffer> | undefined;
function fonts(): Map<string, Buffer> {
  fontCache ??= new Map(FONT_FILES.map((name) => [name, readFileSync(path.join(FONT_DIR, `${name}.ttf`))]));
  return fontCache;
}

export type Doc = PDFKit.PDFDocument;

export function newDocument(out: Writable, layout: 'portrait' | 'landscape', title: string): Doc {
  const PDFKitDocument = pdfkit();
  const doc = new PDFKitDocument({
    size: 'A4',
    layout,
    autoFirstPage: false,
    margin: 0,
    lang: 'fr-FR',
    displayTitle: true,
    info: { Title: title, Author: 'EduConnect', Creator: 'EduConnect – assistant' },
  });
  for (const [name, data] of fonts()) doc.registerFont(name, data);
  doc.pipe(out);
  return doc;
}

/** Ends the document and waits until the destination has received every byte. */
export async function endDocument(doc: Doc, out: Writable): Promise<void> {
  const done = finished(out);
  doc.end();
  await done;
}

export type ProgressCallback = (done: number, total: number) => void;

// ---------------------------------------------------------------------------------------
// Individual sheets

export const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const CONTENT_WIDTH = A4.width - 2 * MARGIN;
const BOTTOM = A4.height - MARGIN;
const GAP = 10;
export const INK = '#1a1a1a';
export const MUTED = '#555555';
const BOX = '#f1f4f8';
export const ACCENT = '#00305e';

/** One vertical block of a sheet: measured once, then drawn. */
interface Block {
  height: number;
  draw(y: number): void;
}

/** Heights of paragraphs already measured in a document: most texts repeat from page to page. */
const measured = new WeakMap<Doc, Map<string, number>>();

function measure(doc: Doc, text: string, font: string, size: number, opts: PDFKit.Mixins.TextOptions): number {
  let cache = measured.get(doc);
  if (!cache) measured.set(doc, (cache = new Map<string, number>()));
  const key = `${font}|${size}|${opts.width}|${opts.align ?? ''}|${text}`;
  let height = cache.get(key);
  if (height === undefined) {
    height = doc.font(font).fontSize(size).heightOfString(text, opts);
    cache.set(key, height);
  }
  return height;
}

function paragraph(doc: Doc, text: string, font: string, size: number, color = INK, options: PDFKit.Mixins.TextOptions = {}): Block {
  const opts = { width: CONTENT_WIDTH, lineGap: size * 0.2, ...options };
  return {
    height: measure(doc, text, font, size, opts),
    draw: (y) => {
      doc.font(font).fontSize(size).fillColor(color).text(text, MARGIN, y, opts);
    },
  };
}

/** A framed label + value in a large monospace face (identifier, password). */
function secretBox(doc: Doc, scale: number, label: string, value: string, note: string | null): Block {
  const pad = 10 * scale;
  const inner = CONTENT_WIDTH - 2 * pad;
  const labelSize = 10 * scale;
  const noteSize = 9 * scale;
  // Long values shrink to stay on one line; the monospace face keeps 0/O and 1/l/I apart.
  doc.font(MONO_BOLD);
  let size = 22 * scale;
  while (size > 10 && doc.fontSize(size).widthOfString(value, { characterSpacing: 1.5 }) > inner) size -= 1;
  const noteHeight = note ? doc.font(SANS).fontSize(noteSize).heightOfString(note, { width: inner }) + 2 : 0;
  const valueTop = pad + labelSize * 1.4;
  const height = valueTop + size * 1.25 + noteHeight + pad;
  return {
    height,
    draw: (y) => {
      doc.save().roundedRect(MARGIN, y, CONTENT_WIDTH, height, 6).fillAndStroke(BOX, '#c9d3df').restore();
      doc
        .font(SANS)
        .fontSize(labelSize)
        .fillColor(MUTED)
        .text(label, MARGIN + pad, y + pad, { width: inner, lineBreak: false });
      doc
        .font(MONO_BOLD)
        .fontSize(size)
        .fillColor(INK)
        .text(value, MARGIN + pad, y + valueTop, { width: inner, characterSpacing: 1.5, lineBreak: false });
      if (note)
        doc
          .font(SANS)
          .fontSize(noteSize)
          .fillColor(MUTED)
          .text(note, MARGIN + pad, y + valueTop + size * 1.25, { width: inner });
    },
  };
}

const CHILD_INDENT = 14;

/** The children at a given size, one bullet each (long names wrap). */
function childrenBlock(doc: Doc, lines: string[], size: number, maxHeight: number): Block & { fits: boolean } {
  const text = lines.map((l) => `•  ${l}`).join('\n');
  const opts: PDFKit.Mixins.TextOptions = { width: CONTENT_WIDTH - CHILD_INDENT, lineGap: size > 9 ? 2 : 0.5 };
  const natural = doc.font(SANS).fontSize(size).heightOfString(text, opts);
  const height = Math.max(0, Math.min(natural, maxHeight));
  return {
    height,
    fits: natural <= maxHeight,
    // The height bound is a last resort: pdfkit would otherwise start a new page.
    draw: (y) => {
      doc
        .font(SANS)
        .fontSize(size)
        .fillColor(INK)
        .text(text, MARGIN + CHILD_INDENT, y, { ...opts, height, ellipsis: true });
    },
  };
}

function fixedBlocks(doc: Doc, w: LetterWording, scale: number): { head: Block[]; tail: Block[] } {
  const s = (n: number): number => n * scale;
  const head: Block[] = [
    paragraph(doc, w.addressee, SANS_BOLD, s(12)),
    paragraph(doc, w.subject, SANS_BOLD, s(15), ACCENT),
    paragraph(doc, w.intro, SANS, s(10.5)),
    paragraph(doc, w.childrenLead, SANS, s(10.5)),
  ];
  const tail: Block[] = [secretBox(doc, scale, w.identifierLabel, w.identifier, null)];
  if (w.password) tail.push(secretBox(doc, scale, w.password.label, w.password.value, w.password.note));
  if (w.unchangedPassword) tail.push(paragraph(doc, w.unchangedPassword, SANS_BOLD, s(10.5)));
  tail.push(paragraph(doc, w.access, SANS_BOLD, s(11), ACCENT));
  if (w.stepsTitle) {
    tail.push(paragraph(doc, w.stepsTitle, SANS_BOLD, s(11)));
    for (const step of w.steps) tail.push(paragraph(doc, step, SANS, s(9.5)));
  }
  tail.push(paragraph(doc, w.signature, SANS, s(10), INK, { align: 'right' }));
  tail.push(paragraph(doc, w.help, SANS, s(8.5), MUTED));
  tail.push(paragraph(doc, w.safety, SANS_BOLD, s(8.5), MUTED));
  return { head, tail };
}

function drawHeader(doc: Doc, letter: Letter, date: string): number {
  const left = `${letter.school.name}\nUAI ${letter.school.uai}`;
  const leftWidth = CONTENT_WIDTH * 0.62;
  doc.font(SANS_BOLD).fontSize(10).fillColor(ACCENT);
  const leftHeight = Math.min(doc.heightOfString(left, { width: leftWidth }), 60);
  doc.text(left, MARGIN, MARGIN, { width: leftWidth, height: 60, ellipsis: true });
  doc
    .font(SANS)
    .fontSize(9)
    .fillColor(MUTED)
    .text(`Services en ligne – EduConnect\n${date}`, MARGIN + leftWidth, MARGIN, { width: CONTENT_WIDTH - leftWidth, align: 'right' });
  const y = MARGIN + leftHeight + 8;
  doc
    .save()
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + CONTENT_WIDTH, y)
    .lineWidth(0.8)
    .strokeColor(ACCENT)
    .stroke()
    .restore();
  return y + 12;
}

/** Scales tried in turn until everything fits on the page (most sheets fit at 1). */
const SCALES = [1, 0.9, 0.8, 0.72, 0.65];
const CHILD_SIZES = [11, 10, 9, 8, 7];

/** The blocks of a sheet with their gaps, at the largest scale where everything fits. */
function layoutSheet(doc: Doc, w: LetterWording, room: number): Block[] {
  let blocks: Block[] = [];
  for (const scale of SCALES) {
    const gap = GAP * scale;
    const { head, tail } = fixedBlocks(doc, w, scale);
    const left = room - [...head, ...tail].reduce((sum, b) => sum + b.height + gap, 0) - gap;
    for (const size of CHILD_SIZES) {
      const children = childrenBlock(doc, w.children, size * Math.max(scale, 0.8), left);
      blocks = [...head, children, ...tail].map((b) => ({ ...b, height: b.height + gap }));
      if (children.fits) return blocks;
    }
  }
  return blocks;
}

function drawSheet(doc: Doc, letter: Letter): void {
  const w = letterWording(letter);
  doc.addPage({ size: 'A4', margin: 0 });
  const top = drawHeader(doc, letter, w.date);
  let y = top;
  for (const block of layoutSheet(doc, w, BOTTOM - top)) {
    block.draw(y);
    y += block.height;
  }
}

/** The sheets of a batch (C01, C03, C05), one page per letter, in the order given. */
export async function renderSheetsPdf(letters: readonly Letter[], out: Writable, onProgress?: ProgressCallback): Promise<{ pages: number }> {
  const doc = newDocument(out, 'portrait', 'EduConnect – feuilles individuelles');
  const total = letters.length;
  const step = Math.max(1, Math.floor(total / 100));
  for (const [i, letter] of letters.entries()) {
    drawSheet(doc, letter);
    const done = i + 1;
    if (onProgress && (done % step === 0 || done === total)) onProgress(done, total);
    // Let the destination drain: pdfkit pushes every page into its stream at once.
    while (doc.readableLength > 1 << 20) {
      if (out.writableNeedDrain) await once(out, 'drain');
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  await endDocument(doc, out);
  return { pages: total };
}
