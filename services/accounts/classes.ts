// The classes of a school as directors name them in a request: "la 6e 2", "classe CE1-A",
// "cm1 new" match "6E 2", "CE1 A", "CM1 NEW" whatever their case, accents, spaces and hyphens.
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { normalizeName } from '../text.js';
import { levelRank } from './levels.js';
import { requireSchool } from './scope.js';

export interface SchoolClassInfo {
  classId: number;
  name: string;
  level: string;
  /** Pupils enrolled in the class. */
  pupils: number;
}

/** The classes of a school that have pupils, in schooling order then by name. */
export async function schoolClasses(ctx: ServiceContext, actor: Actor, uai: string): Promise<SchoolClassInfo[]> {
  const { school } = await requireSchool(ctx.db, actor, uai);
  const rows = await ctx.db.schoolClass.findMany({
    where: { schoolUai: school.uai, pupils: { some: {} } },
    select: { id: true, name: true, level: true, _count: { select: { pupils: true } } },
  });
  return rows
    .map((c) => ({ classId: c.id, name: c.name, level: c.level, pupils: c._count.pupils }))
    .sort((a, b) => levelRank(a.level) - levelRank(b.level) || a.name.localeCompare(b.name, 'fr'));
}

/** Folded words, with ordinal levels written one way ("6eme", "6ème", "6E" -> "6e"). */
function words(text: string): string[] {
  return normalizeName(text)
    .split(' ')
    .filter(Boolean)
    .map((w) => w.replace(/^(\d)(?:eme|ieme|e)$/, '$1e'));
}

/** The comparison key of a class name: folded words joined ("CE1-A" -> "ce1a"). */
export function classKey(name: string): string {
  return words(name).join('');
}

/**
 * The classes named in a text: a run of consecutive words that, joined, is a class's key.
 * A class whose key is contained in a longer class named at the same place is left out
 * ("CE1 A" wins over "CE1" in "la CE1 A"). Keys of one character never match inside a text.
 */
export function classesInText<T extends { name: string }>(text: string, classes: readonly T[]): T[] {
  const tokens = words(text);
  const hits: { at: number; end: number; item: T }[] = [];
  for (const item of classes) {
    const key = classKey(item.name);
    if (key.length < 2 && tokens.join('') !== key) continue;
    for (let at = 0; at < tokens.length; at++) {
      let joined = '';
      for (let end = at; end < tokens.length && joined.length < key.length; end++) {
        joined += tokens[end] ?? '';
        if (joined === key) hits.push({ at, end, item });
      }
    }
  }
  const kept = hits.filter((h) => !hits.some((o) => o !== h && o.at <= h.at && o.end >= h.end && o.end - o.at > h.end - h.at));
  return [...new Set(kept.map((h) => h.item))];
}
