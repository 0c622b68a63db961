// Mobile numbers: normalised to E.164 with libphonenumber-js, default region France.
// Overseas departments and territories (+262, +590, +594, +596, +269, +687, +689, +508, +681)
// are recognised from their own prefixes or from their national numbers (0692…, 0690…).
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** French overseas regions tried when a national number does not parse as metropolitan France. */
const OVERSEAS: CountryCode[] = ['RE', 'YT', 'GP', 'MQ', 'GF', 'PM', 'NC', 'PF', 'WF', 'BL', 'MF'];

export type PhoneResult = { ok: true; e164: string; mobile: boolean } | { ok: false; reason: string };

export function normalizePhone(input: string, defaultRegion: CountryCode = 'FR'): PhoneResult {
  const raw = input.trim().replace(/^00/, '+');
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
