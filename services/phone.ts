// Mobile numbers: normalised to E.164 with libphonenumber-js, default region France.
// Overseas departments and territories (+262, +590, +594, +596, +269, +687, +689, +508, +681)
// are recognised from their own prefixes or from their national numbers (0692…, 0690…).
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** French overseas regions tried when a national number does not parse as metropolitan France. */
const OVERSEAS: CountryCode[] = ['RE', 'YT', 'GP', 'MQ', 'GF', 'PM', 'NC', 'PF', 'WF', 'BL', 'MF'];

export type PhoneResult = { ok: true; e164: string; mobile: boolean } | { ok: false; reason: string };

// Metropolitan mobiles as most files write them (0612345678, 06 12 34 56 78, 06.12…, +33 6…,
// 0033 6…): libphonenumber costs ~5 µs a number, this ~0.1 µs. The national number must match
// France's mobile pattern, copied from libphonenumber's metadata (types: no other French type
// starts with 6 or 7, and the pattern depends on the first three digits only); a number that
// does not match goes to libphonenumber, which may still find it overseas (0639… is Mayotte).
// test/services/phone.test.ts compares both on every prefix from 600 to 799 in every format.
// The shape, /^(?:0|\+33)[ .-]?([67](?:[ .-]?\d){8})$/, and France's mobile pattern,
// /^(?:6(?:[0-24-8]\d|3[0-8]|9[589])|7[3-9]\d)\d{6}$/, are read character by character (two
// regular expressions, their matches and a replace cost ~0.3 µs a number; the same answers on
// random texts in the test).

/** The national number's digits (character codes) of the number read last. */
const NATIONAL = new Uint16Array(9);

const isSeparator = (c: number): boolean => c === 0x20 || c === 0x2e || c === 0x2d;

/** The shape above: fills NATIONAL and returns true, or false. */
function readMetropolitanShape(raw: string): boolean {
  let i: number;
  if (raw.charCodeAt(0) === 0x30) i = 1;
  else if (raw.charCodeAt(0) === 0x2b && raw.charCodeAt(1) === 0x33 && raw.charCodeAt(2) === 0x33) i = 3;
  else return false;
  if (isSeparator(raw.charCodeAt(i))) i++;
  const first = raw.charCodeAt(i);
  if (first !== 0x36 && first !== 0x37) return false;
  NATIONAL[0] = first;
  i++;
  for (let n = 1; n < 9; n++) {
    if (isSeparator(raw.charCodeAt(i))) i++;
    const c = raw.charCodeAt(i);
    if (!(c >= 0x30 && c <= 0x39)) return false;
    NATIONAL[n] = c;
    i++;
  }
  return i === raw.length;
}

/** France's mobile pattern on NATIONAL (its first three digits decide). */
function isFrenchMobile(): boolean {
  const a = NATIONAL[0] as number;
  const b = NATIONAL[1] as number;
  const c = NATIONAL[2] as number;
  if (a === 0x37) return b >= 0x33;
  if (b === 0x33) return c !== 0x39;
  if (b === 0x39) return c === 0x35 || c === 0x38 || c === 0x39;
  return true;
}

/** `raw` trimmed, with 00 already turned into +: its result when it is a metropolitan mobile in a usual format, else null. */
export function metropolitanMobile(raw: string): PhoneResult | null {
  if (!readMetropolitanShape(raw) || !isFrenchMobile()) return null;
  const n = NATIONAL;
  const e164 = String.fromCharCode(
    0x2b,
    0x33,
    0x33,
    n[0] as number,
    n[1] as number,
    n[2] as number,
    n[3] as number,
    n[4] as number,
    n[5] as number,
    n[6] as number,
    n[7] as number,
    n[8] as number,
  );
  return { ok: true, e164, mobile: true };
}

export function normalizePhone(input: string, defaultRegion: CountryCode = 'FR'): PhoneResult {
  const trimmed = input.trim();
  const raw = trimmed.charCodeAt(0) === 0x30 && trimmed.charCodeAt(1) === 0x30 ? `+${trimmed.slice(2)}` : trimmed;
  return (defaultRegion === 'FR' ? metropolitanMobile(raw) : null) ?? libraryPhone(raw, defaultRegion);
}

/** normalizePhone through libphonenumber only (`raw` as in metropolitanMobile); exported for the fast path's test. */
export function libraryPhone(raw: string, defaultRegion: CountryCode = 'FR'): PhoneResult {
  if (!raw) return { ok: false, reason: 'Le numéro est vide.' };
  if (/[a-z]/i.test(raw.replace(/^tel:/i, ''))) return { ok: false, reason: 'Le numéro ne doit contenir que des chiffres.' };
  // Overseas regions are tried only for a national number written with its trunk 0 (0692…,
  // 0690…); a bare short number ("75 12 34") is too ambiguous and needs its +687/+689 prefix.
  const regions: CountryCode[] = raw.startsWith('+') || !raw.startsWith('0') ? [defaultRegion] : [defaultRegion, ...OVERSEAS];
  for (const region of regions) {
    const p = parsePhoneNumberFromString(raw, region);
    if (p?.isValid()) {
      const type = p.getType();
      return { ok: true, e164: p.number, mobile: type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' || type === undefined };
    }
  }
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 9) return { ok: false, reason: 'Le numéro est trop court.' };
  if (digits.length > 15) return { ok: false, reason: 'Le numéro est trop long.' };
  return { ok: false, reason: "Ce numéro n'est pas un numéro de téléphone valide." };
}

/** A mobile phone number in E.164, or a reason why not. */
export function normalizeMobile(input: string): PhoneResult {
  const r = normalizePhone(input);
  if (r.ok && !r.mobile) return { ok: false, reason: "Ce numéro n'est pas un numéro de téléphone portable." };
  return r;
}
