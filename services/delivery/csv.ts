// Account lists as CSV (seed 001 §5.4): ";"-separated, UTF-8 with a BOM (so that spreadsheet
// software reads the accents), CRLF line ends, the guide's column order. Cells that a
// spreadsheet would run as a formula are neutralised with a leading apostrophe.
import { LIST_COLUMNS } from '../accounts/list.js';
import type { ListDocument } from './types.js';

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[;"\r\n]/;

/** One cell: formula-safe, quoted when it holds a separator, a quote or a line break. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The list as CSV bytes; the file is small (one line per pupil–guardian pair). */
export function renderListCsv(list: Pick<ListDocument, 'rows'>): Buffer {
  const lines = [
    [...LIST_COLUMNS],
    ...list.rows.map((r) => [
      r.uai,
      r.schoolName,
      r.pupilLastName,
      r.pupilFirstName,
      r.level,
      r.className,
      r.guardianLastName,
      r.guardianFirstName,
      r.identifier,
      r.password,
    ]),
  ];
  return Buffer.from(BOM + lines.map((cells) => cells.map(csvCell).join(';')).join('\r\n') + '\r\n', 'utf8');
}
