// Draws the two Teams app icons and writes them next to this file (deterministic output):
//   color.png   192×192, white "EC" on the French public-service blue (#000091)
//   outline.png  32×32,  the same white "EC" on a transparent background
// Run: npx tsx teams/make-icons.ts
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

/** The design grid: the glyph is drawn in a 192-unit square, then scaled to the icon size. */
const GRID = 192;
const STROKE = 16;
const BLUE: readonly [number, number, number] = [0x00, 0x00, 0x91];
/** Samples per pixel side (anti-aliasing by coverage). */
const SAMPLES = 4;

function inRect(x: number, y: number, x0: number, y0: number, x1: number, y1: number): boolean {
  return x >= x0 && x < x1 && y >= y0 && y < y1;
}

/** "E": a stem and three arms, 48 units wide and 80 high. */
function inE(x: number, y: number): boolean {
  return (
    inRect(x, y, 30, 56, 30 + STROKE, 136) ||
    inRect(x, y, 30, 56, 78, 56 + STROKE) ||
    inRect(x, y, 30, 88, 72, 88 + STROKE) ||
    inRect(x, y, 30, 136 - STROKE, 78, 136)
  );
}

/** "C": a ring of outer radius 40 opened by 80° on the right. */
function inC(x: number, y: number): boolean {
  const dx = x - 122;
  const dy = y - 96;
  const r = Math.hypot(dx, dy);
  if (r > 40 || r < 40 - STROKE) return false;
  return Math.abs(Math.atan2(dy, dx)) > (40 * Math.PI) / 180;
}

/** Share of the pixel (px, py) of a `size` icon covered by the glyph, 0..1. */
function coverage(px: number, py: number, size: number): number {
  const scale = GRID / size;
  let hits = 0;
  for (let i = 0; i < SAMPLES; i++) {
    for (let j = 0; j < SAMPLES; j++) {
      const x = (px + (i + 0.5) / SAMPLES) * scale;
      const y = (py + (j + 0.5) / SAMPLES) * scale;
      if (inE(x, y) || inC(x, y)) hits++;
    }
  }
  return hits / (SAMPLES * SAMPLES);
}

/** RGBA pixels of the icon: white glyph over `background`, or over transparency when there is none. */
function drawIcon(size: number, background?: readonly [number, number, number]): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const a = coverage(x, y, size);
      const at = (y * size + x) * 4;
      if (background) {
        for (let c = 0; c < 3; c++) pixels[at + c] = Math.round(255 * a + (background[c] ?? 0) * (1 - a));
        pixels[at + 3] = 255;
      } else {
        pixels.fill(255, at, at + 3);
        pixels[at + 3] = Math.round(255 * a);
      }
    }
  }
  return pixels;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG file of square RGBA `pixels` (8 bits per channel, colour type 6, no filtering). */
export function encodePng(size: number, pixels: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: truecolour with alpha
  // compression, filter and interlace methods: 0
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) rows.push(Buffer.from([0]), pixels.subarray(y * size * 4, (y + 1) * size * 4));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function colorIcon(): Buffer {
  return encodePng(192, drawIcon(192, BLUE));
}

export function outlineIcon(): Buffer {
  return encodePng(32, drawIcon(32));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  writeFileSync(path.join(dir, 'color.png'), colorIcon());
  writeFileSync(path.join(dir, 'outline.png'), outlineIcon());
  console.log(`Icônes écrites dans ${dir} (color.png 192×192, outline.png 32×32).`);
}
