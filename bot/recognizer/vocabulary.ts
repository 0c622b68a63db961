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

/** Shortest word compared by its beginning (so that "rappel" and "rappelle" match). */
const PREFIX_LENGTH = 5;

export class Vocabulary {
  private readonly words = new Set<string>();
  private readonly prefixes = new Set<string>();

  /** `utterances` are already normalised (normalizeUtterance). */
  constructor(utterances: Iterable<string>) {
    for (const utterance of utterances) {
      for (const word of utterance.split(' ')) {
        this.words.add(word);
        if (word.length >= PREFIX_LENGTH) this.prefixes.add(word.slice(0, PREFIX_LENGTH));
      }
    }
  }

  private knows(word: string): boolean {
    return this.words.has(word) || (word.length >= PREFIX_LENGTH && this.prefixes.has(word.slice(0, PREFIX_LENGTH)));
  }

  /**
   * Share (0..1) of the meaningful words of a normalised message that the corpus knows;
   * null when the message has no meaningful word (only function words).
   */
  coverage(normalized: string): number | null {
    const meaningful = normalized.split(' ').filter((w) => w.length > 1 && !STOPWORDS.has(w) && !/^\d+$/.test(w));
    if (meaningful.length === 0) return null;
    return meaningful.filter((w) => this.knows(w)).length / meaningful.length;
  }
}
