// The GSM 03.38 default alphabet (GSM-7): an SMS in it holds 160 characters; one character
// outside it (ç, ê, ’, «, emoji…) turns the whole message into UCS-2 and 70 characters.

const BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Characters of the extension table: each costs two septets (escape + code). */
const EXTENSION = '^{}\\[~]|€\f';

const BASIC_SET = new Set(BASIC);
const EXTENSION_SET = new Set(EXTENSION);

export const SMS_MAX_SEPTETS = 160;

/** Number of septets of `text` in GSM-7, or null when a character is not in the alphabet. */
export function gsm7Length(text: string): number | null {
  let length = 0;
  for (const ch of text) {
    if (BASIC_SET.has(ch)) length += 1;
    else if (EXTENSION_SET.has(ch)) length += 2;
    else return null;
  }
  return length;
}

/** Characters of `text` outside GSM-7 (to explain a lint failure). */
export function nonGsm7Characters(text: string): string[] {
  return [...new Set(Array.from(text).filter((ch) => !BASIC_SET.has(ch) && !EXTENSION_SET.has(ch)))];
}

/** True when the text fits one GSM-7 SMS. */
export function fitsOneSms(text: string): boolean {
  const length = gsm7Length(text);
  return length !== null && length <= SMS_MAX_SEPTETS;
}
