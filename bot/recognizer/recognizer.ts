// Offline French intent recognizer. No network: an NLP.js neural classifier is trained at
// start (well under a second; the model is also cached under a key that hashes the corpus)
// from the corpus kept in the repo (bot/recognizer/corpus/train.json). Every text goes
// through normalize.ts (case, accents, SMS spelling, synonyms, placeholders for values) and
// spelling correction against the corpus vocabulary (vocabulary.ts) before classification;
// when the network abstains, the intent whose examples are the most similar (TF-IDF,
// similarity.ts) is taken. Entities come from deterministic extractors (entities.ts).
//
// Out-of-scope messages give `none`: the corpus has a `none` set, a message whose meaningful
// words are all unknown is `none`, scores are lowered by the share of unknown words, and a
// best score under the threshold gives `none`.
// Several sentences: every sentence is classified as well as the whole message (each also
// without its greeting and thanks), and a request ("J'ai perdu mon identifiant") wins over
// politeness ("Bonjour.", "Merci.", "pouvez-vous m'aider ?").
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerBootstrap } from '@nlpjs/core';
import { LangFr } from '@nlpjs/lang-fr';
import { Nlp } from '@nlpjs/nlp';
import { z } from 'zod';
import trainingCorpus from './corpus/train.json' with { type: 'json' };
import { sideOf } from './counterparts.js';
import { courtesyIntent, isBareAnswer, isSuccessReport } from './courtesy.js';
import { extractEntities, type Entities } from './entities.js';
import { MAX_INPUT_LENGTH } from './fold.js';
import { normalizeUtterance, splitSentences, stripCourtesy } from './normalize.js';
import { NearestExamples } from './similarity.js';
import { meaningfulWords, Vocabulary } from './vocabulary.js';
import { INTENTS, type IntentName } from '../../dialogs/types.js';

export type { Entities } from './entities.js';

/** Intent names, as listed in formats/intents.md (one list, shared with the dialogs). */
export const INTENT_NAMES = INTENTS;
export type { IntentName };

/** Intents that only frame a request: they win only when no sentence asks for something. */
const SOCIAL_INTENTS: ReadonlySet<IntentName> = new Set(['greeting', 'thanks', 'goodbye', 'help']);

export interface Recognition {
  intent: IntentName;
  /** Confidence of the intent, 0..1 (1 for `none` on a message without any word). */
  score: number;
  entities: Entities;
}

export interface Recognizer {
  recognize(text: string): Promise<Recognition>;
}

export interface RecognizerOptions {
  /**
   * Directory where the trained model is cached, keyed by a hash of the corpus; `null`
   * disables the cache. Default: the system's temporary directory.
   */
  cacheDir?: string | null;
  /** Best scores under this give `none`. */
  threshold?: number;
  /** Training corpus: utterances by intent. Default: corpus/train.json. */
  corpus?: Corpus;
}

export type Corpus = Partial<Record<IntentName, string[]>>;

const corpusSchema = z.partialRecord(z.enum(INTENT_NAMES), z.array(z.string()));

/** The default minimum score of a recognised intent (measured on the held-out split). */
export const DEFAULT_THRESHOLD = 0.5;

/** Version of the normalisation + training recipe: part of the cache key. */
const MODEL_RECIPE = 'nlpjs-fr-v2';

const LOCALE = 'fr';

/**
 * The NLP.js classifier (one perceptron per intent). Measured by 5-fold cross-validation
 * (test/bot/recognizer/generalisation.test.ts): a smaller leak for negative sums (alpha 0.02
 * instead of 0.07) and training stopped at a mean error of 0.0005 (instead of 0.00005)
 * memorise the corpus less and generalise better (+1.5 points). Settings go by locale and
 * domain (Nlp's `nlu` setting); NLP.js deletes `className` from the object it is given,
 * hence a copy per engine.
 */
const NEURAL_SETTINGS = { className: 'NeuralNlu', alpha: 0.02, errorThresh: 0.0005, log: false };

/** Sentences of a message classified one by one at most (the whole is always classified). */
const MAX_SENTENCES = 12;

/** Weight of the classifier's score kept when none of the meaningful words is known. */
const COVERAGE_FLOOR = 0.5;

interface Scored {
  intent: IntentName;
  score: number;
  /**
   * The text says something: at least two meaningful words (so "bonjour tout le monde" or
   * "un grand merci" are not, "je voudrais commander une pizza" is).
   */
  substantive?: boolean;
}

const NONE: Scored = { intent: 'none', score: 1 };

function isIntentName(name: string): name is IntentName {
  return (INTENT_NAMES as readonly string[]).includes(name);
}

async function newEngine(): Promise<Nlp> {
  const container = await containerBootstrap();
  container.use(LangFr);
  const nlp = new Nlp({ languages: [LOCALE], autoSave: false, autoLoad: false, nlu: { [LOCALE]: { default: { ...NEURAL_SETTINGS } } } }, container);
  return nlp;
}

/** A training example: an intent and a normalised utterance. */
type Document = readonly [IntentName, string];

function documentsOf(corpus: Corpus): Document[] {
  return INTENT_NAMES.flatMap((intent) => (corpus[intent] ?? []).map((u): Document => [intent, normalizeUtterance(u)]).filter(([, text]) => text !== ''));
}

/**
 * What the classifier learns from: not the messages the courtesy lexicon answers by itself
 * ("bonjour", "à demain", "merci beaucoup"): learnt by the network, their words ("demain",
 * "week-end") would only pull unrelated messages towards greetings and farewells.
 */
function classifierDocuments(documents: readonly Document[]): Document[] {
  return documents.filter(([intent, text]) => courtesyIntent(text) !== intent && !(intent === 'thanks' && isSuccessReport(text)));
}

async function trainEngine(documents: readonly Document[]): Promise<Nlp> {
  const nlp = await newEngine();
  for (const [intent, text] of documents) nlp.addDocument(LOCALE, text, intent);
  await nlp.train();
  return nlp;
}

/**
 * The trained engine, from the cache when a model of these very documents is there. The
 * key hashes the normalised documents, so a change of corpus or of normalisation retrains.
 */
async function loadEngine(documents: readonly Document[], cacheDir: string | null): Promise<Nlp> {
  if (cacheDir === null) return trainEngine(documents);
  const key = createHash('sha256').update(MODEL_RECIPE).update(JSON.stringify(documents)).digest('hex').slice(0, 24);
  const file = join(cacheDir, `educonnect-intent-${key}.json`);
  try {
    const nlp = await newEngine();
    nlp.import(await readFile(file, 'utf8'));
    return nlp;
  } catch {
    // No usable cache: train, then store the model for the next start (best effort).
    const nlp = await trainEngine(documents);
    const partial = `${file}.${process.pid}.${Date.now()}.tmp`;
    try {
      await writeFile(partial, nlp.export(true));
      await rename(partial, file);
    } catch {
      // A read-only or full temporary directory only costs the next start a training.
    }
    return nlp;
  }
}

interface Model {
  nlp: Nlp;
  vocabulary: Vocabulary;
  /** Asked when the neural classifier abstains. */
  examples: NearestExamples<IntentName>;
}

/**
 * Cosine similarities to an intent's examples run about half as high as the network's
 * scores for the same quality of match (a right intent typically scores 0.45, an
 * out-of-scope text under 0.25), so they are doubled before the common threshold.
 */
const NEAREST_SCALE = 2;

/** The intent whose examples are the most similar, or null when none shares a word. */
function nearestBest(examples: NearestExamples<IntentName>, text: string): Scored | null {
  const nearest = examples.nearest(text);
  return nearest && { intent: nearest.label, score: Math.min(1, nearest.score * NEAREST_SCALE) };
}

/** The neural classifier's best intent, or null when it abstains. */
async function neuralBest(nlp: Nlp, text: string): Promise<Scored | null> {
  const best = (await nlp.classify(LOCALE, text)).classifications[0];
  if (!best || best.score <= 0 || !isIntentName(best.intent)) return null;
  return { intent: best.intent, score: best.score };
}

/**
 * The classifier's best intent for one normalised text, after spelling correction. Its
 * score is lowered in proportion to the meaningful words the corpus does not know, and a
 * text whose meaningful words are all unknown is `none`.
 */
async function classifyNormalized(model: Model, normalized: string): Promise<Scored> {
  if (!/[a-z]{2,}/.test(normalized)) return NONE;
  const corrected = model.vocabulary.correct(normalized);
  const social = courtesyIntent(normalized) ?? courtesyIntent(corrected);
  if (social) return { intent: social, score: 1 };
  if (isSuccessReport(normalized)) return { intent: 'thanks', score: 1 };
  if (isBareAnswer(normalized)) return NONE;
  const coverage = model.vocabulary.coverage(corrected);
  const substantive = meaningfulWords(corrected).length >= 2;
  if (coverage === 0) return { ...NONE, substantive };
  const best = (await neuralBest(model.nlp, corrected)) ?? nearestBest(model.examples, corrected);
  if (!best) return { ...NONE, substantive };
  const score = best.score * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * (coverage ?? 1));
  return { intent: best.intent, score, substantive };
}

/** Candidates for one text: as written, and without its greeting and thanks. */
async function classify(model: Model, text: string): Promise<Scored[]> {
  const normalized = normalizeUtterance(text);
  const core = stripCourtesy(normalized);
  const whole = await classifyNormalized(model, normalized);
  return core === '' || core === normalized ? [whole] : [whole, await classifyNormalized(model, core)];
}

/**
 * The intent of a message from the intents of the whole and of its sentences: the best
 * confident request; else `none` if some meaningful part is confidently out of scope
 * ("Bonjour, je voudrais une pizza. Merci"); else the best confident greeting, thanks…
 */
function choose(candidates: Scored[], threshold: number): Scored {
  const confident = candidates.filter((c) => c.score >= threshold);
  const best = (list: Scored[]): Scored | undefined => list.reduce<Scored | undefined>((a, c) => (a === undefined || c.score > a.score ? c : a), undefined);
  const request = best(confident.filter((c) => c.intent !== 'none' && !SOCIAL_INTENTS.has(c.intent)));
  if (request) return request;
  const outOfScope = best(confident.filter((c) => c.intent === 'none' && c.substantive === true));
  if (outOfScope) return { intent: 'none', score: outOfScope.score };
  const social = best(confident.filter((c) => c.intent !== 'none'));
  if (social) return social;
  const whole = candidates[0];
  return { intent: 'none', score: whole?.intent === 'none' ? whole.score : 1 - (whole?.score ?? 0) };
}

/** Words of the EduConnect account (normalised form): a message with them is ours. */
const ACCOUNT_WORDS =
  /\b(?:identifiant|motdepasse|comptes?|activ\w*|educonnect|franceconnect|connect\w*|mail|telephone|numero|naissance|regroup\w*|fusion\w*|rattach\w*|representant|responsable legal|sms|code|lien|notifi\w*|statistiques|reinitialiser)\b/;

/**
 * A request about school life (canteen, enrolment, marks, timetable…; the `schoolTopic`
 * entity) that says nothing of the account is `none`: the school or the ENT answers it,
 * whatever the classifier guessed from "ma fille", "inscrire" or "voir".
 */
function schoolMatter(chosen: Scored, entities: Entities, input: string): Scored {
  const polite = chosen.intent === 'greeting' || chosen.intent === 'thanks' || chosen.intent === 'goodbye';
  if (!entities.schoolTopic || chosen.intent === 'none' || polite) return chosen;
  return ACCOUNT_WORDS.test(normalizeUtterance(input)) ? chosen : { intent: 'none', score: Math.max(chosen.score, 0.8) };
}

export async function createRecognizer(options: RecognizerOptions = {}): Promise<Recognizer> {
  const corpus = corpusSchema.parse(options.corpus ?? trainingCorpus);
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const documents = documentsOf(corpus);
  const model: Model = {
    nlp: await loadEngine(classifierDocuments(documents), options.cacheDir === undefined ? tmpdir() : options.cacheDir),
    // Words seen only in the `none` set do not make a message in scope.
    vocabulary: new Vocabulary(documents.filter(([intent]) => intent !== 'none').map(([, text]) => text)),
    examples: new NearestExamples(documents),
  };
  return {
    async recognize(text: string): Promise<Recognition> {
      const input = typeof text === 'string' ? text.slice(0, MAX_INPUT_LENGTH) : '';
      const entities = extractEntities(input, MAX_INPUT_LENGTH);
      const sentences = splitSentences(input);
      const [whole = NONE, ...parts] = await classify(model, input);
      if (sentences.length > 1) {
        for (const sentence of sentences.slice(0, MAX_SENTENCES)) parts.push(...(await classify(model, sentence)));
      }
      // A part ("C'est top.", "c'est tout" once "au revoir" is set aside) is too short to
      // carry a request on its own; the whole message always counts.
      const candidates = [whole, ...parts.filter((c) => c.substantive === true || SOCIAL_INTENTS.has(c.intent))];
      const picked = choose(candidates, threshold);
      const chosen = schoolMatter({ ...picked, intent: sideOf(picked.intent, normalizeUtterance(input)) }, entities, input);
      return { intent: chosen.intent, score: Math.round(chosen.score * 1000) / 1000, entities };
    },
  };
}
