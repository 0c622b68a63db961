// Contact details typed by people (email addresses), checked before they are stored.

const EMAIL_SHAPE = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]{2,}$/;

/** A plausible address with its domain in lower case, or null. */
export function normalizeEmail(input: string): string | null {
  const s = input.trim();
  if (s.length > 254 || !EMAIL_SHAPE.test(s)) return null;
  const at = s.lastIndexOf('@');
  const domain = s.slice(at + 1).toLowerCase();
  if (domain.includes('..') || domain.startsWith('.') || domain.startsWith('-')) return null;
  return `${s.slice(0, at)}@${domain}`;
}
