// Case references in a message, however written, normalised as the service writes them;
// nothing else read as one, and they are not mistaken for a phone number or a date.
import { describe, expect, it } from 'vitest';
import { extractEntities } from '../../../bot/recognizer/entities.js';

describe('case reference entity', () => {
  it.each([
    ['où en est ma demande EDU-2026-000123 ?', ['EDU-2026-000123']],
    ['edu-2026-123', ['EDU-2026-000123']],
    ['Ma demande Edu 2026 42 et EDU-2025-000007', ['EDU-2026-000042', 'EDU-2025-000007']],
    ['référence edu2026000123', ['EDU-2026-000123']],
  ])('%s', (text, refs) => {
    const e = extractEntities(text);
    expect(e.caseReference).toEqual(refs);
    expect(e.mobile).toBeUndefined();
    expect(e.date).toBeUndefined();
  });

  it.each(['education 2026', 'EDU-2026-1234567', 'mon numéro 06 12 34 56 78', 'edu-1999-12'])('none in %s', (text) => {
    expect(extractEntities(text).caseReference).toBeUndefined();
  });
});
