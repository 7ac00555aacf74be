/**
 * Entities and relations read from plain prose, one sentence at a time: names (runs of capitalised
 * words, single proper nouns in mid-sentence), identifiers (CamelCase, ALL-CAPS, dotted, with
 * digits), typed by compromise's lexicon; and between two names of a sentence, the verb that joins
 * them (subject–verb–object) or, failing that, their co-occurrence. Every pass is one regex scan or
 * one walk over the sentence's words, so the cost stays linear in the text.
 */
import { headWordType, infinitiveOf, isFirstNameOnly, isFunctionWord, isVerbForm, wordClass } from './lexicon';

export type ProseType = 'person' | 'place' | 'organization' | 'code' | 'name';

export interface SentenceName {
  name: string;
  type: ProseType;
}

export interface SentenceRelation {
  from: string;
  to: string;
  type: string;
}

export interface Sentence {
  text: string;
  names: SentenceName[];
  relations: SentenceRelation[];
}

/** Evidence is a sentence a reader can take in at a glance; longer ones are cut. */
export const MAX_EVIDENCE_CHARS = 300;
/** Pairs grow with the square of the names in a sentence: its first 8 give at most 28. */
const MAX_NAMES_PER_SENTENCE = 8;
/** A verb further than this from either name is not what joins them. */
const MAX_VERB_GAP_WORDS = 6;
const MAX_RUN_WORDS = 4;
const MAX_NAME_WORD_CHARS = 40;

/** Known mentions (wikilinks, code spans) stand in the text as one token: \uE000index\uE001. */
export const PLACEHOLDER_OPEN = '\uE000';
export const PLACEHOLDER_CLOSE = '\uE001';

// Whole words, each character read once (no class overlaps the separators): linear on any text.
const WORD = /\uE000(\d{1,6})\uE001|[\p{L}\p{N}_][\p{L}\p{N}_'’]*(?:[.\-/][\p{L}\p{N}_]+)*/gu;
/** Longer is no word of a name or identifier but a run of letters. */
const MAX_WORD_CHARS = 80;
const SENTENCE_END = /(?<=[.!?])\s+|[;:]\s+|\s[—–]\s|\n/;
const LIST_MARKER = /^[ \t>]*(?:[-*+]|\d{1,3}[.)]|\|)?[ \t]*/;
const CAPITALISED = /^\p{Lu}/u;
const CAMEL = /\p{Ll}\p{Lu}/u;
const ALL_CAPS = /^\p{Lu}[\p{Lu}\p{N}]+$/u;
const DOTTED = /\p{L}\.\p{L}/u;
const WITH_DIGIT = /^\p{L}[\p{L}-]{2,}\p{N}+$/u;

/** Capitals that are not names: a pronoun, stock markers of notes and licences. */
const NOT_NAMES = new Set(['i', 'ok', 'todo', 'faq', 'readme', 'note', 'id', 'am', 'pm', 'eg', 'ie', 'etc', 'vs']);
/** Words that open a sentence or clause and are not part of the name that follows. */
const LEADING = new Set(
  (
    'the a an this that these those our we they it its in on at for to from when if after before during each every ' +
    'both since while and but or so then also with without by via per as all any some no not see here there what who ' +
    'why how which where once until because although though however finally first next last now please note'
  ).split(' '),
);
const CALENDAR = new Set(
  (
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july ' +
    'august september october november december q1 q2 q3 q4'
  ).split(' '),
);

interface Word {
  text: string;
  start: number;
  end: number;
  /** Index into the known mentions when the word is a placeholder. */
  known: number | null;
}

interface Span {
  name: string;
  type: ProseType;
  first: number;
  last: number;
}

/** Lower-case letters (and joiners) only: no identifier pattern can match. Most words of prose; checked first, cheaply. */
const PLAIN_LOWER = /^[a-z'’_]+$/;

function isIdentifierWord(word: string): boolean {
  if (PLAIN_LOWER.test(word) || NOT_NAMES.has(word.toLowerCase())) return false;
  return CAMEL.test(word) || ALL_CAPS.test(word) || DOTTED.test(word) || WITH_DIGIT.test(word);
}

function lexiconType(word: string): ProseType | null {
  const cls = wordClass(word);
  if (cls === 'person' || cls === 'place' || cls === 'organization') return cls;
  return cls === 'proper' ? 'name' : null;
}

function runType(words: readonly string[]): ProseType {
  const first = words[0] ?? '';
  const last = words[words.length - 1] ?? '';
  const classes = words.map(wordClass);
  if (classes.includes('organization') || headWordType(last) === 'organization') return 'organization';
  if (classes[0] === 'person' && words.length <= 3 && !CALENDAR.has(first.toLowerCase())) return 'person';
  if (classes.includes('place') || headWordType(last) === 'place') return 'place';
  return 'name';
}

function wordsOf(sentence: string): Word[] {
  const words: Word[] = [];
  for (const match of sentence.matchAll(WORD)) {
    const start = match.index;
    if (match[0].length > MAX_WORD_CHARS) continue;
    words.push({ text: match[0], start, end: start + match[0].length, known: match[1] ? Number(match[1]) : null });
  }
  return words;
}

/** Two words belong to one name when only spaces (or "of", "de" …) stand between them. */
function joined(sentence: string, a: Word, b: Word): boolean {
  return /^[ \t]+$/.test(sentence.slice(a.end, b.start));
}

/** A word of a name: capitalised, and no longer than a word of a real name (40 characters). */
function isCapitalWord(word: Word): boolean {
  if (word.known !== null || word.text.length > MAX_NAME_WORD_CHARS) return false;
  return CAPITALISED.test(word.text) && !NOT_NAMES.has(word.text.toLowerCase());
}

/** A single capitalised word: a name unless it opens the sentence or the lexicon knows it as a common word. */
function singleName(word: Word, initial: boolean, seenMidSentence: ReadonlySet<string>): Span | null {
  const text = word.text;
  if (isIdentifierWord(text)) return { name: text, type: 'code', first: 0, last: 0 };
  if (CALENDAR.has(text.toLowerCase()) || text.length < 2) return null;
  const type = lexiconType(text);
  // A first name alone ("Alice") stands for someone the note names in full; a node of its own would split them.
  if (type === null || (type === 'person' && isFirstNameOnly(text))) return null;
  // An unknown word opening a sentence is usually an ordinary noun; it counts where the note also uses it mid-sentence.
  if (initial && type === 'name' && !seenMidSentence.has(text)) return null;
  return { name: text, type, first: 0, last: 0 };
}

/** A run of capitalised words: one name of two to four words, else its words one by one. Indices are the run's. */
function runSpans(run: readonly Word[], initial: boolean, seen: ReadonlySet<string>): Span[] {
  let first = 0;
  let last = run.length - 1;
  const head = run[0]?.text ?? '';
  // "Add Kerguelen", "The Station": an opening article or imperative is not part of the name.
  if (initial && run.length > 1 && (LEADING.has(head.toLowerCase()) || isVerbForm(head) || isFunctionWord(head))) first += 1;
  while (last >= first && CALENDAR.has((run[last]?.text ?? '').toLowerCase())) last -= 1;
  // "NASA Maria Station": an acronym does not start a longer name; it is a name of its own.
  const lead: Span[] = [];
  const acronym = run[first];
  if (acronym && last > first && ALL_CAPS.test(acronym.text)) {
    const span = singleName(acronym, initial && first === 0, seen);
    if (span) lead.push({ ...span, first, last: first });
    first += 1;
  }
  const words = run.slice(first, last + 1);
  const count = words.length;
  if (count >= 2 && count <= MAX_RUN_WORDS && !words.some((w) => CALENDAR.has(w.text.toLowerCase()))) {
    const texts = words.map((w) => w.text);
    return [...lead, { name: texts.join(' '), type: runType(texts), first, last }];
  }
  return [
    ...lead,
    ...words.flatMap((word, index) => {
      const span = singleName(word, initial && index === 0, seen);
      return span ? [{ ...span, first: first + index, last: first + index }] : [];
    }),
  ];
}

function spansOf(sentence: string, words: Word[], known: readonly SentenceName[], seen: ReadonlySet<string>): Span[] {
  const spans: Span[] = [];
  let i = 0;
  while (i < words.length) {
    const word = words[i] as Word;
    if (word.known !== null) {
      const mention = known[word.known];
      if (mention) spans.push({ ...mention, first: i, last: i });
      i += 1;
      continue;
    }
    if (!isCapitalWord(word)) {
      // "iPhone Store": an identifier starting with a small letter stands alone.
      const code = isIdentifierWord(word.text) ? singleName(word, false, seen) : null;
      if (code) spans.push({ ...code, first: i, last: i });
      i += 1;
      continue;
    }
    let j = i + 1;
    while (j < words.length && isCapitalWord(words[j] as Word) && joined(sentence, words[j - 1] as Word, words[j] as Word)) j++;
    for (const span of runSpans(words.slice(i, j), i === 0, seen))
      spans.push({ ...span, first: i + span.first, last: i + span.last });
    i = j;
  }
  return spans;
}

/** The verb between two names, as a relation type: "uses" → USE, "runs on" → RUN_ON; passive "is used by" turns it round. */
function verbBetween(words: readonly Word[], a: Span, b: Span): { type: string; reversed: boolean } | null {
  const gap = words.slice(a.last + 1, b.first);
  if (gap.length === 0 || gap.length > MAX_VERB_GAP_WORDS) return null;
  // "is used by", "was replaced by": the lexicon may call the participle an adjective; the frame says it is a verb.
  const byAt = gap.findIndex((w, k) => k >= 2 && w.text.toLowerCase() === 'by' && wordClass(gap[k - 2]?.text ?? '') === 'be');
  const at = byAt >= 0 ? byAt - 1 : gap.findIndex((w) => wordClass(w.text) === 'verb');
  const verb = gap[at];
  if (!verb) return null;
  const next = gap[at + 1];
  const passive = byAt >= 0;
  const particle = !passive && next && at + 2 === gap.length && wordClass(next.text) === 'preposition' ? `_${next.text}` : '';
  const type = `${infinitiveOf(verb.text)}${particle}`
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  return type ? { type, reversed: passive } : null;
}

function relationsOf(words: readonly Word[], spans: readonly Span[]): SentenceRelation[] {
  const top = spans.slice(0, MAX_NAMES_PER_SENTENCE);
  const relations: SentenceRelation[] = [];
  const typedPairs = new Set<string>();
  for (let k = 0; k + 1 < top.length; k++) {
    const a = top[k] as Span;
    const b = top[k + 1] as Span;
    const verb = verbBetween(words, a, b);
    if (!verb) continue;
    const [from, to] = verb.reversed ? [b, a] : [a, b];
    relations.push({ from: from.name, to: to.name, type: verb.type });
    typedPairs.add(`${a.name}\u0000${b.name}`);
  }
  for (let i = 0; i < top.length; i++) {
    for (let j = i + 1; j < top.length; j++) {
      const a = top[i] as Span;
      const b = top[j] as Span;
      if (a.name === b.name || typedPairs.has(`${a.name}\u0000${b.name}`)) continue;
      relations.push({ from: a.name, to: b.name, type: 'CO_OCCURS' });
    }
  }
  return relations;
}

/** The sentence as written: spaces the placeholders left around a name, before `,` or after `(`, go. */
function evidenceText(sentence: string): string {
  const plain = sentence
    .replace(/\s+/g, ' ')
    .replace(/ ([,.;:!?)\]])/g, '$1')
    .replace(/([([]) /g, '$1')
    .trim();
  return plain.length <= MAX_EVIDENCE_CHARS ? plain : `${plain.slice(0, MAX_EVIDENCE_CHARS - 1).trimEnd()}…`;
}

/** Prose split into sentences, list markers and table bars dropped. */
export function splitSentences(prose: string): string[] {
  return prose
    .split(SENTENCE_END)
    .map((part) => part.replace(LIST_MARKER, '').trim())
    .filter((part) => /\p{L}/u.test(part));
}

/**
 * Reads each sentence of `prose`; `known` are the mentions its placeholders stand for, and `render`
 * turns a placeholder back into its text for the evidence.
 */
/**
 * "It" or "This" opening a sentence of a note about one thing is that thing: "It implements USTAR"
 * relates the note's subject to USTAR. Only as a relation's end, never as a mention of its own.
 */
function withSubject(words: readonly Word[], spans: Span[], subject: string | null): Span[] {
  const first = words[0]?.text.toLowerCase();
  if (!subject || (first !== 'it' && first !== 'this') || spans[0]?.first === 0) return spans;
  return [{ name: subject, type: 'name', first: 0, last: 0 }, ...spans];
}

/** The note's subject written as it is (`tar-stream`), lower case included: a name wherever it stands. */
function subjectSpans(words: readonly Word[], spans: Span[], subject: string | null): Span[] {
  // A title that is an ordinary word ("Payments") names the note, not every use of the word.
  if (!subject || /\s/.test(subject) || !(isIdentifierWord(subject) || /[-.\p{N}]/u.test(subject))) return spans;
  const lower = subject.toLowerCase();
  const taken = new Set(spans.map((span) => span.first));
  const extra = words.flatMap((word, index) =>
    word.text.toLowerCase() === lower && !taken.has(index)
      ? [{ name: subject, type: 'name' as const, first: index, last: index }]
      : [],
  );
  return extra.length === 0 ? spans : [...spans, ...extra].sort((a, b) => a.first - b.first);
}

export function readSentences(
  prose: string,
  known: readonly SentenceName[],
  render: (text: string) => string,
  subject: string | null = null,
): Sentence[] {
  const sentences = splitSentences(prose).map((text) => ({ text, words: wordsOf(text) }));
  // Capitalised words used mid-sentence somewhere in the text: the same word opening a sentence is a name too.
  const seen = new Set<string>();
  for (const { words } of sentences) {
    // "When Possible …": a word after an opening "When" still opens the sentence.
    const from = LEADING.has(words[0]?.text.toLowerCase() ?? '') ? 2 : 1;
    for (const word of words.slice(from)) if (isCapitalWord(word)) seen.add(word.text);
  }
  return sentences.map(({ text, words }) => {
    const spans = subjectSpans(words, spansOf(text, words, known, seen), subject);
    const names = new Map<string, SentenceName>();
    for (const span of spans) if (!names.has(span.name)) names.set(span.name, { name: span.name, type: span.type });
    const related = withSubject(words, spans, subject);
    // The evidence text is made when read: only sentences with relations are ever asked for it.
    let evidence: string | null = null;
    return {
      get text(): string {
        return (evidence ??= evidenceText(render(text)));
      },
      names: [...names.values()],
      relations: relationsOf(words, related),
    };
  });
}
