/**
 * Whether two short statements contradict each other, by two fixed rules (no model, no score):
 *
 * - negation: exactly one of them is negated ("not", "no longer", "never", "n't", ...) and, with
 *   the negation and filler words ("the", "is", "does", ...) left out and a final "s" dropped,
 *   they have the same words, at least two: "Nadia owns the ledger" / "Nadia no longer owns the ledger";
 * - different value: both say "<attribute> is <value>" or "<attribute>: <value>" (also are, was,
 *   were, =), neither negated, with the same attribute words, which include a word besides the
 *   entity's name, and different value words: "The owner of the Ledger is Nadia" / "... is Omar".
 */

export type TextConflictKind = 'negation' | 'different_value';

export interface TextConflict {
  kind: TextConflictKind;
  reason: string;
}

const FILLER = new Set(
  (
    'a an the is are was were be been being am do does did has have had will would shall should can could may might must ' +
    'of to in on at for by with and or that this these those it its as'
  ).split(' '),
);
const NEGATIONS = new Set(['not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor']);
const ASSIGNMENT = /\s*(?::|=|\bis\b|\bare\b|\bwas\b|\bwere\b)\s*/i;

/** Lowercase words, contractions of "not" spelt out ("isn't" → "is not", "cannot" → "can not"). */
export function wordsOf(text: string): string[] {
  const spelt = text
    .toLowerCase()
    .replace(/n['’]t\b/g, ' not')
    .replace(/\bcannot\b/g, 'can not')
    .replace(/\bno longer\b/g, 'not');
  return spelt.match(/[\p{L}\p{N}]+/gu) ?? [];
}

function stem(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

interface Statement {
  negated: boolean;
  words: Set<string>;
}

function statementOf(text: string): Statement {
  const words = wordsOf(text);
  return {
    negated: words.some((word) => NEGATIONS.has(word)),
    words: new Set(words.filter((word) => !NEGATIONS.has(word) && !FILLER.has(word)).map(stem)),
  };
}

function sameWords(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((word) => b.has(word));
}

/** Whether a text names something: its words appear in it, in order, as whole words. */
export function mentionsName(text: string, name: string): boolean {
  const wanted = wordsOf(name).join(' ');
  return wanted.length > 0 && ` ${wordsOf(text).join(' ')} `.includes(` ${wanted} `);
}

function negationConflict(a: Statement, b: Statement): TextConflict | null {
  if (a.negated === b.negated || a.words.size < 2 || !sameWords(a.words, b.words)) return null;
  return { kind: 'negation', reason: `one text negates the other: the same words (${[...a.words].join(' ')}), one with "not"` };
}

function valueConflict(textA: string, textB: string, entityNames: readonly string[]): TextConflict | null {
  const [leftA, rightA] = splitAssignment(textA);
  const [leftB, rightB] = splitAssignment(textB);
  if (leftA === null || leftB === null || rightA === null || rightB === null) return null;
  const [a, b] = [statementOf(leftA), statementOf(leftB)];
  const [valueA, valueB] = [statementOf(rightA), statementOf(rightB)];
  if (a.negated || b.negated || valueA.negated || valueB.negated) return null;
  const nameWords = new Set(entityNames.flatMap(wordsOf).map(stem));
  const attribute = wordsOf(leftA).filter((word) => !FILLER.has(word) && !nameWords.has(stem(word)));
  if (attribute.length === 0 || !sameWords(a.words, b.words)) return null;
  if (valueA.words.size === 0 || valueB.words.size === 0 || sameWords(valueA.words, valueB.words)) return null;
  return {
    kind: 'different_value',
    reason: `the texts give ${attribute.join(' ')} different values: "${rightA.trim()}" and "${rightB.trim()}"`,
  };
}

function splitAssignment(text: string): [string | null, string | null] {
  const sentence = text.trim().replace(/[.!]+$/, '');
  const match = ASSIGNMENT.exec(sentence);
  if (!match) return [null, null];
  return [sentence.slice(0, match.index), sentence.slice(match.index + match[0].length)];
}

/** The conflicts between two statements by the rules above; `entityNames` are what they are about. */
export function textConflicts(textA: string, textB: string, entityNames: readonly string[]): TextConflict[] {
  const found = [negationConflict(statementOf(textA), statementOf(textB)), valueConflict(textA, textB, entityNames)];
  return found.filter((conflict): conflict is TextConflict => conflict !== null);
}
