// Contact details typed by people (email addresses), checked before they are stored.

const EMAIL_SHAPE = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]{2,}$/;

/** No upper-case or non-ASCII character in `s` from `from` on. */
function isLowerAscii(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f || (c >= 0x41 && c <= 0x5a)) return false;
  }
  return true;
}

/** A plausible address with its domain in lower case, or null. */
export function normalizeEmail(input: string): string | null {
  const s = input.trim();
  if (s.length > 254 || !EMAIL_SHAPE.test(s)) return null;
  const at = s.lastIndexOf('@');
  // The domain's checks hold as well before lower-casing ('.' and '-' are no case of anything).
  const first = s.charCodeAt(at + 1);
  if (first === 0x2e || first === 0x2d || s.includes('..', at + 1)) return null;
  // Most domains are already in lower-case ASCII: the address is then returned as it is (the
  // import checks one a row; slicing, lower-casing and joining it again cost ~0.1 µs).
  return isLowerAscii(s, at + 1) ? s : `${s.slice(0, at)}@${s.slice(at + 1).toLowerCase()}`;
}
