/**
 * Offline, deterministic entity extraction from one chunk of markdown. No model, no network: the same
 * note always gives the same entities, which keeps ids, tests and exports stable.
 *
 * Sources, strongest first: wikilinks, code identifiers, #tags, section headings, proper names
 * (runs of two to four capitalised words). Where two sources name the same thing, the stronger
 * source's type is kept.
 */
import { normaliseName } from '../../store/ids';

export type EntitySource = 'wikilink' | 'code' | 'tag' | 'heading' | 'name';

export interface Mention {
  name: string;
  type: string;
  source: EntitySource;
  count: number;
}

const SOURCE_TYPE: Record<EntitySource, string> = {
  wikilink: 'concept',
  code: 'code',
  tag: 'tag',
  heading: 'topic',
  name: 'name',
};

const SOURCE_RANK: Record<EntitySource, number> = { wikilink: 0, code: 1, tag: 2, heading: 3, name: 4 };

/** Longer is not a name but a paragraph (or an attack on every page that lists entities); a file name fits. */
export const MAX_ENTITY_NAME_CHARS = 300;

export function isEntityName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_ENTITY_NAME_CHARS;
}

const WIKILINK = /\[\[([^\][|#\n]+)(?:#[^\][|\n]*)?(?:\|[^\][\n]*)?\]\]/g;
const CODE_SPAN = /`([^`\n]+)`/g;
const FENCED_BLOCK = /^[ \t]*(```|~~~)[^\n]*\n[\s\S]*?^[ \t]*\1[ \t]*$/gm;
const TAG = /(?:^|[\s(])#([\p{L}][\p{L}\p{N}_/-]*[\p{L}\p{N}])/gu;
const HEADING_LINE = /^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm;
const URL = /\bhttps?:\/\/\S+/g;
const MD_LINK_TARGET = /\]\([^)]*\)/g;
/**
 * A capitalised word of at most 40 characters, matched only from a word's start to its end: each
 * position is tried once, so a long run like `AbAbAb…` costs linear time, not cubic.
 */
const NAME_WORD = String.raw`(?<![\p{L}\p{N}'’-])\p{Lu}[\p{L}\p{N}'’-]{0,39}(?![\p{L}\p{N}'’-])`;
const PROPER_NAME = new RegExp(
  String.raw`${NAME_WORD}(?:[ \t]+(?:(?:of|de|van|von|der|da|la|le|du|y)[ \t]+)?${NAME_WORD}){1,3}`,
  'gu',
);
/** A name's first word has a small letter or a digit (`Maria`, `R2`), so `NASA Station` starts no name. */
const FIRST_NAME_WORD = /^\p{Lu}[\p{L}'’-]*[\p{Ll}\p{N}][\p{L}'’-]*$/u;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(?:(?:\.|::|-)[A-Za-z_][A-Za-z0-9_]*)*(?:\(\))?$/;

/** Words that start a sentence or a clause and are not part of the name that follows. */
const LEADING_WORDS = new Set(
  (
    'the a an this that these those our we they it its in on at for to from when if after before during ' +
    'each every both since while and but or so then also with without by via per as all any some no not ' +
    'see ask call use run read our your my his her their there here what who why how which where once until ' +
    'yesterday today tomorrow later recently currently meanwhile however finally first next last now because ' +
    'although though according unlike like dear hi hello thanks please note'
  ).split(' '),
);

/** Months, days and the like: capitalised, but not entities worth a node. */
const CALENDAR = new Set(
  (
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july ' +
    'august september october november december q1 q2 q3 q4'
  ).split(' '),
);

/** Section headings that every note has; as entities they would only join unrelated notes. */
const GENERIC_HEADINGS = new Set(
  (
    'overview summary background context decision decisions consequences notes next steps nextsteps actionitems ' +
    'action items status references links seealso see also attendees agenda purpose scope introduction details ' +
    'history openquestions risks alternatives alternativesconsidered responsibilities contacts contact faq todo ' +
    'goals nongoals timeline outcome outcomes discussion followups followup appendix glossary procedure steps ' +
    'prerequisites verification rollback escalation symptoms diagnosis role roles ownership owners members ' +
    'dependencies design architecture update updates lessons learned lessonslearned actions decisionsmade'
  ).split(' '),
);

/** A heading that names a topic ("Failover Design"), not a question or a stock section title. */
export function isTopicHeading(heading: string): boolean {
  const words = heading.trim().split(/\s+/);
  if (words.length > 4 || heading.length > 60 || GENERIC_HEADINGS.has(normaliseName(heading))) return false;
  return !/^(what|how|why|when|who|where|which|is|are|do|does|can|should)\b/i.test(heading.trim());
}

export function isIdentifier(text: string): boolean {
  if (text.length < 3 || text.length > 80 || !IDENTIFIER.test(text)) return false;
  // Plain words in backticks are emphasis, not identifiers: ask for a shape only code has.
  return /[_.:()]|[a-z][A-Z]|^[A-Z0-9_]{3,}$/.test(text);
}

class MentionBag {
  private readonly byNorm = new Map<string, Mention>();

  add(name: string, source: EntitySource): void {
    const trimmed = name.trim().replace(/\s+/g, ' ');
    const norm = normaliseName(trimmed);
    if (norm.length < 2 || !isEntityName(trimmed)) return;
    const existing = this.byNorm.get(norm);
    if (!existing) {
      this.byNorm.set(norm, { name: trimmed, type: SOURCE_TYPE[source], source, count: 1 });
      return;
    }
    existing.count += 1;
    if (SOURCE_RANK[source] < SOURCE_RANK[existing.source]) {
      existing.source = source;
      existing.type = SOURCE_TYPE[source];
      existing.name = trimmed;
    }
  }

  list(): Mention[] {
    return [...this.byNorm.values()];
  }
}

export function wikilinkTargets(text: string): string[] {
  return [...text.matchAll(WIKILINK)].map((match) => (match[1] ?? '').trim()).filter(isEntityName);
}

/** Strips what must not be read as prose: code, links, URLs, headings. */
function proseOnly(text: string): string {
  return text
    .replace(FENCED_BLOCK, ' ')
    .replace(CODE_SPAN, ' ')
    .replace(WIKILINK, ' ')
    .replace(MD_LINK_TARGET, ']')
    .replace(URL, ' ')
    .replace(HEADING_LINE, ' ');
}

/** A word a name cannot start with: a sentence's opening word, or one with no small letter or digit. */
function startsNoName(word: string): boolean {
  return LEADING_WORDS.has(word.toLowerCase()) || !FIRST_NAME_WORD.test(word);
}

function properNames(prose: string): string[] {
  const names: string[] = [];
  // Sentence and line boundaries end a name: "... Station. Maria" is two candidates.
  for (const sentence of prose.split(/[.!?;:\n|*_()[\]{}"“”]+/)) {
    for (const match of sentence.matchAll(PROPER_NAME)) {
      const words = match[0].split(/[ \t]+/);
      while (words.length > 0 && startsNoName(words[0] ?? '')) words.shift();
      while (words.length > 0 && CALENDAR.has((words[words.length - 1] ?? '').toLowerCase())) words.pop();
      if (words.length >= 2 && !words.some((word) => CALENDAR.has(word.toLowerCase()))) names.push(words.join(' '));
    }
  }
  return names;
}

export function extractMentions(text: string, heading: string | null): Mention[] {
  const bag = new MentionBag();
  for (const target of wikilinkTargets(text)) bag.add(target, 'wikilink');
  const withoutFences = text.replace(FENCED_BLOCK, ' ');
  for (const match of withoutFences.matchAll(CODE_SPAN)) {
    const code = (match[1] ?? '').trim();
    if (isIdentifier(code)) bag.add(code.replace(/\(\)$/, ''), 'code');
  }
  const prose = proseOnly(text);
  for (const match of prose.matchAll(TAG)) bag.add(match[1] ?? '', 'tag');
  if (heading && isTopicHeading(heading)) {
    bag.add(
      heading.replace(WIKILINK, (_m, target: string) => target),
      'heading',
    );
  }
  for (const name of properNames(prose)) bag.add(name, 'name');
  return bag.list();
}
