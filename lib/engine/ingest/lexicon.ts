/**
 * What compromise's English lexicon (shipped in the package, no network) says about single words.
 * Only the lexicon and its verb conjugator are used: compromise's full parse reads about 100 KB/s,
 * ten times too slow for ingest, while these lookups cost a hash probe per word.
 */
import nlp from 'compromise';

type LexiconTags = string | string[];

interface CompromiseModel {
  one: { lexicon: Record<string, LexiconTags | undefined> };
  two: { orgWords: Record<string, unknown>; placeWords: Record<string, unknown> };
}

interface CompromiseMethods {
  two: { transform: { verb: { toInfinitive: (word: string, model: object, tense: string) => string } } };
}

// compromise types both as `object`; these are the shapes its 14.x builds expose.
const MODEL = nlp.model() as CompromiseModel;
const METHODS = nlp.methods() as CompromiseMethods;

export type WordClass = 'person' | 'place' | 'organization' | 'proper' | 'verb' | 'be' | 'preposition' | 'common';

const PERSON_TAGS = new Set(['Person', 'FirstName', 'MaleName', 'FemaleName', 'LastName', 'Honorific']);
const PLACE_TAGS = new Set(['Place', 'City', 'Country', 'Region']);
const ORGANIZATION_TAGS = new Set(['Organization', 'SportsTeam']);
const VERB_TAGS = new Set(['PresentTense', 'PastTense', 'Participle']);
const BE_WORDS = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'being']);

function tagsOf(lower: string): string[] {
  const tags = Object.hasOwn(MODEL.one.lexicon, lower) ? MODEL.one.lexicon[lower] : undefined;
  if (tags === undefined) return [];
  return Array.isArray(tags) ? tags : [tags];
}

/** The word's class by the lexicon; `proper` for a word it does not know (nouns are its default). */
export function wordClass(word: string): WordClass {
  const lower = word.toLowerCase();
  if (BE_WORDS.has(lower)) return 'be';
  const tags = tagsOf(lower);
  if (tags.length === 0) return 'proper';
  if (tags.some((tag) => PERSON_TAGS.has(tag))) return 'person';
  if (tags.some((tag) => PLACE_TAGS.has(tag))) return 'place';
  if (tags.some((tag) => ORGANIZATION_TAGS.has(tag))) return 'organization';
  if (tags.includes('ProperNoun')) return 'proper';
  if (tags.includes('Preposition')) return 'preposition';
  if (tags.some((tag) => VERB_TAGS.has(tag))) return 'verb';
  return 'common';
}

const VERB_FORM_TAGS = new Set(['Infinitive', 'PresentTense', 'PastTense', 'Gerund', 'PhrasalVerb', 'Modal']);

/** Any form of a verb, the imperative included ("Add", "Replay"): such a word opening a line is an instruction. */
export function isVerbForm(word: string): boolean {
  return tagsOf(word.toLowerCase()).some((tag) => VERB_FORM_TAGS.has(tag));
}

const FUNCTION_TAGS = new Set(['Adverb', 'Date', 'Pronoun', 'Determiner', 'Conjunction', 'Preposition', 'QuestionWord']);

/** "Yesterday", "Often", "Here": words that open a sentence before a name, never part of it. */
export function isFunctionWord(word: string): boolean {
  return tagsOf(word.toLowerCase()).some((tag) => FUNCTION_TAGS.has(tag));
}

const FIRST_NAME_TAGS = new Set(['FirstName', 'MaleName', 'FemaleName']);

export function isFirstNameOnly(word: string): boolean {
  return tagsOf(word.toLowerCase()).some((tag) => FIRST_NAME_TAGS.has(tag));
}

/** A name ending in "University" or "Agency" is an organisation, in "Bay" or "Island" a place. */
export function headWordType(word: string): 'organization' | 'place' | null {
  const lower = word.toLowerCase();
  if (Object.hasOwn(MODEL.two.orgWords, lower)) return 'organization';
  if (Object.hasOwn(MODEL.two.placeWords, lower)) return 'place';
  return null;
}

/** Bounded: a note's distinct verbs are few, an attack's many; past the cap, results are not kept. */
const INFINITIVE_CACHE_LIMIT = 10_000;
const infinitives = new Map<string, string>();

/** "replaced" → "replace", "uses" → "use", by compromise's conjugator. */
export function infinitiveOf(verb: string): string {
  const lower = verb.toLowerCase();
  const cached = infinitives.get(lower);
  if (cached !== undefined) return cached;
  // The lexicon files some participles under Adjective ("replaced"): their ending says past tense.
  const tense = tagsOf(lower).includes('PastTense') || lower.endsWith('ed') ? 'PastTense' : 'PresentTense';
  const infinitive = METHODS.two.transform.verb.toInfinitive(lower, MODEL, tense) || lower;
  if (infinitives.size < INFINITIVE_CACHE_LIMIT) infinitives.set(lower, infinitive);
  return infinitive;
}
