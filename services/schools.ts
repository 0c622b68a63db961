// The public school directory, for parents who name their child's school: by UAI, or by the
// words of its name (accent- and case-insensitive). School names and UAIs are public data.
import type { ServiceContext } from './context.js';
import { normalizeName, normalizeUai } from './text.js';

export interface SchoolMatch {
  uai: string;
  name: string;
  academy: string;
}

const SELECT = { uai: true, name: true, academy: true } as const;

/** Schools matching a UAI or every word of a name; at most `limit`, best (shortest name) first. */
export async function findSchools(ctx: ServiceContext, query: string, limit = 5): Promise<SchoolMatch[]> {
  const uai = normalizeUai(query.replace(/\s/g, ''));
  if (uai) return ctx.db.school.findMany({ where: { uai }, select: SELECT });
  const words = normalizeName(query.slice(0, 200))
    .split(' ')
    .filter((w) => w.length >= 3 && !['ecole', 'college', 'lycee', 'etablissement'].includes(w));
  for (const word of [...words].sort((a, b) => b.length - a.length)) {
    const candidates = await ctx.db.school.findMany({ where: { name: { contains: word, mode: 'insensitive' } }, select: SELECT, take: 500 });
    if (candidates.length === 0) continue;
    return candidates
      .filter((s) => words.every((w) => normalizeName(`${s.name} ${s.academy}`).includes(w)))
      .sort((a, b) => a.name.length - b.name.length || a.uai.localeCompare(b.uai))
      .slice(0, limit);
  }
  return [];
}
