// The words of the training corpus, used to tell how much of a message the classifier
// actually knows: a message whose meaningful words are all unknown ("quel temps fera-t-il
// demain", "asdkjh qwe") is out of scope whatever the classifier's best guess.

/** Function words (normalised form), ignored when measuring coverage. */
const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a ai as au aux avec avez avons c ca ce ceci cela ces cet cette d dans de des du e elle elles en es est et ete ' +
    'etre eu il ils j je l la le les leur leurs lui m ma mais me mes moi mon n ne ni nos notre nous on ont ou par ' +
    'pas plus pour qu que quel quelle quelles quels qui quoi s sa sans se ses si son sont suis sur t ta te tes toi ton ' +
    'tu un une vos votre vous y the a of to is it my i you me svp oui non ok bien tres tout tous toute toutes ' +
    'comment quand pourquoi combien faire fait veux voudrais peux pouvez dois faut'
  ).split(' '),
);

/** The words of a normalised text that carry meaning: not function words, not numbers. */
export function meaningfulWords(normalized: string): string[] {
  return normalized.split(' ').filter((w) => w.length > 1 && !STOPWORDS.has(w) && !/^\d+$/.test(w));
}

/** Shortest word compared by its beginning (so that "rappel" and "rappelle" match). */
const PREFIX_LENGTH = 5;

/** Shortest unknown word that spelling correction looks at. */
const MIN_CORRECTED_LENGTH = 4;
/** Unknown words corrected per message at most (bounds the work on long messages). */
const MAX_CORRECTIONS = 40;

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), or
 * `limit + 1` as soon as it is certain to exceed `limit`.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] ?? 0) + 1);
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

export class Vocabulary {
  /** Known words with their number of occurrences in the corpus. */
  private readonly words = new Map<string, number>();
  private readonly prefixes = new Set<string>();

  /** `utterances` are already normalised (normalizeUtterance). */
  constructor(utterances: Iterable<string>) {
    for (const utterance of utterances) {
      for (const word of utterance.split(' ')) {
        this.words.set(word, (this.words.get(word) ?? 0) + 1);
        if (word.length >= PREFIX_LENGTH) this.prefixes.add(word.slice(0, PREFIX_LENGTH));
      }
    }
  }

  /**
   * The normalised message with misspelt words replaced by the closest known word (one
   * edit, two for words of ten letters or more; ties go to the most frequent word).
   * "identifaint perdu" -> "identifiant perdu"
   */
  correct(normalized: string): string {
    let budget = MAX_CORRECTIONS;
    return normalized
      .split(' ')
      .map((word) => {
        if (word.length < MIN_CORRECTED_LENGTH || this.words.has(word) || /\d/.test(word) || budget <= 0) return word;
        budget -= 1;
        const limit = word.length >= 10 ? 2 : 1;
        let best = word;
        let bestDistance = limit + 1;
        let bestCount = 0;
        for (const [known, count] of this.words) {
          const d = editDistance(word, known, limit);
          if (d < bestDistance || (d === bestDistance && d <= limit && count > bestCount)) {
            best = known;
            bestDistance = d;
            bestCount = count;
          }
        }
        return best;
      })
      .join(' ');
  }

  private knows(word: string): boolean {
    return this.words.has(word) || (word.length >= PREFIX_LENGTH && this.prefixes.has(word.slice(0, PREFIX_LENGTH)));
  }

  /**
   * Share (0..1) of the meaningful words of a normalised message that the corpus knows;
   * null when the message has no meaningful word (only function words).
   */
  coverage(normalized: string): number | null {
    const meaningful = meaningfulWords(normalized);
    if (meaningful.length === 0) return null;
    return meaningful.filter((w) => this.knows(w)).length / meaningful.length;
  }
}
