// Nearest intent by TF-IDF cosine similarity (to the centroid of its examples) over crude
// word stems. The
// recognizer asks it only when the neural classifier abstains (NLP.js gives no intent at all
// for some word combinations it has never seen together).

/** Words are compared by their first letters (a crude stemmer: "activer", "activation"). */
const STEM_LENGTH = 5;

function stems(text: string): string[] {
  return text
    .split(' ')
    .filter((w) => w !== '')
    .map((w) => w.slice(0, STEM_LENGTH));
}

type Vector = Map<string, number>;

/** The vector scaled to length 1 (in place). */
function unit(vector: Vector): Vector {
  const norm = Math.sqrt([...vector.values()].reduce((s, v) => s + v * v, 0));
  if (norm > 0) for (const [key, v] of vector) vector.set(key, v / norm);
  return vector;
}

export interface Nearest<T extends string> {
  label: T;
  /** Cosine similarity, 0..1. */
  score: number;
}

export class NearestExamples<T extends string> {
  private readonly idf = new Map<string, number>();
  private readonly centroids: { label: T; vector: Vector }[] = [];

  /** `documents`: labelled, normalised texts. */
  constructor(documents: readonly (readonly [T, string])[]) {
    const documentFrequency = new Map<string, number>();
    for (const [, text] of documents) {
      for (const stem of new Set(stems(text))) documentFrequency.set(stem, (documentFrequency.get(stem) ?? 0) + 1);
    }
    for (const [stem, df] of documentFrequency) this.idf.set(stem, Math.log((1 + documents.length) / (1 + df)) + 1);
    const sums = new Map<T, Vector>();
    for (const [label, text] of documents) {
      const sum = sums.get(label) ?? new Map<string, number>();
      for (const [stem, v] of this.vector(text)) sum.set(stem, (sum.get(stem) ?? 0) + v);
      sums.set(label, sum);
    }
    for (const [label, sum] of sums) this.centroids.push({ label, vector: unit(sum) });
  }

  private vector(text: string): Vector {
    const counts = new Map<string, number>();
    for (const stem of stems(text)) {
      const idf = this.idf.get(stem);
      if (idf !== undefined) counts.set(stem, (counts.get(stem) ?? 0) + idf);
    }
    return unit(counts);
  }

  /** The label whose examples are the most similar, or null when no known word is shared. */
  nearest(text: string): Nearest<T> | null {
    const query = this.vector(text);
    let best: Nearest<T> | null = null;
    for (const centroid of this.centroids) {
      let dot = 0;
      for (const [stem, v] of query) dot += v * (centroid.vector.get(stem) ?? 0);
      if (dot > 0 && (best === null || dot > best.score)) best = { label: centroid.label, score: Math.min(1, dot) };
    }
    return best;
  }
}
