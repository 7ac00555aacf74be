/**
 * Offline, deterministic entity extraction from one chunk of markdown. No model, no network: the same
 * note always gives the same entities, which keeps ids, tests and exports stable.
 *
 * Sources, strongest first: wikilinks, code identifiers, #tags, section headings, names read from
 * the prose sentence by sentence (`prose.ts`). Where two sources name the same thing, the stronger
 * source's type is kept.
 */
import { normaliseName } from '../../store/ids';
import { wordClass } from './lexicon';
import { PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN, readSentences, type Sentence, type SentenceName } from './prose';

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
/** Images and badges (`[![build status](…)](…)`): their text describes a picture, not the note. */
const IMAGE = /!\[[^\]\n]{0,300}\]\([^)\n]{0,2000}\)/g;
const MD_LINK = /\[([^\]\n]{0,300})\]\([^)\n]{0,2000}\)/g;
const HTML_TAG = /<\/?[A-Za-z][^<>\n]{0,500}>/g;
/** Link text that is one package-like word (`tar-fs`, `unpkg.com`) names the thing linked to. */
const LINKED_NAME = /^[\p{L}][\p{L}\p{N}_]*(?:[.-][\p{L}\p{N}_]+)+$/u;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(?:(?:\.|::|-)[A-Za-z_][A-Za-z0-9_]*)*(?:\(\))?$/;

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

/**
 * A heading that names a topic ("Failover Design", "Kerguelen"), not a question, a stock section
 * title or a sentence-case label ("Current focus", "Layout").
 */
export function isTopicHeading(heading: string): boolean {
  const words = heading.trim().split(/\s+/);
  if (words.length > 4 || heading.length > 60 || GENERIC_HEADINGS.has(normaliseName(heading))) return false;
  if (/^(what|how|why|when|who|where|which|is|are|do|does|can|should)\b/i.test(heading.trim())) return false;
  if (words.length === 1) return isIdentifier(heading.trim()) || ['person', 'place', 'organization'].includes(wordClass(heading));
  // Title case: every word of four letters or more starts with a capital.
  return words.every((word) => word.length < 4 || /^[\p{Lu}\p{N}[]/u.test(word));
}

export function isIdentifier(text: string): boolean {
  if (text.length < 3 || text.length > 80 || !IDENTIFIER.test(text)) return false;
  // Plain words in backticks are emphasis, not identifiers: ask for a shape only code has.
  return /[_.:()]|[a-z][A-Z]|^[A-Z0-9_]{3,}$/.test(text);
}

class MentionBag {
  private readonly byNorm = new Map<string, Mention>();

  add(name: string, source: EntitySource, type: string = SOURCE_TYPE[source]): void {
    const trimmed = name.trim().replace(/\s+/g, ' ');
    const norm = normaliseName(trimmed);
    if (norm.length < 2 || !isEntityName(trimmed)) return;
    const existing = this.byNorm.get(norm);
    if (!existing) {
      this.byNorm.set(norm, { name: trimmed, type, source, count: 1 });
      return;
    }
    existing.count += 1;
    if (SOURCE_RANK[source] < SOURCE_RANK[existing.source]) {
      existing.source = source;
      existing.type = type;
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

/** One chunk's mentions, and its sentences with the names and relations each holds. */
export interface ChunkReading {
  mentions: Mention[];
  sentences: Sentence[];
}

/** Known names (wikilinks, identifiers in backticks, linked package names) as placeholders; code, images, markup and headings gone. */
function proseWithPlaceholders(text: string): { prose: string; known: SentenceName[]; counted: Set<string> } {
  const known: SentenceName[] = [];
  // Wikilinks and code spans are counted as mentions on their own; the sentences only place them.
  const counted = new Set<string>();
  const hold = (name: string, type: SentenceName['type'], alreadyCounted = true): string => {
    if (alreadyCounted) counted.add(name);
    known.push({ name, type });
    return ` ${PLACEHOLDER_OPEN}${known.length - 1}${PLACEHOLDER_CLOSE} `;
  };
  const prose = text
    .replace(/[\uE000\uE001]/g, ' ')
    .replace(FENCED_BLOCK, '\n')
    .replace(HEADING_LINE, '\n')
    .replace(CODE_SPAN, (_m, code: string) => (isIdentifier(code.trim()) ? hold(code.trim().replace(/\(\)$/, ''), 'code') : ' '))
    .replace(WIKILINK, (_m, target: string) => (isEntityName(target.trim()) ? hold(target.trim(), 'name') : ' '))
    .replace(IMAGE, ' ')
    .replace(MD_LINK, (_m, label: string) => (LINKED_NAME.test(label) ? hold(label, 'code', false) : label))
    .replace(URL, ' ')
    .replace(HTML_TAG, ' ');
  return { prose, known, counted };
}

function renderPlaceholders(known: readonly SentenceName[]): (text: string) => string {
  const placeholder = new RegExp(`${PLACEHOLDER_OPEN}(\\d+)${PLACEHOLDER_CLOSE}`, 'g');
  return (text) => text.replace(placeholder, (_m, index: string) => known[Number(index)]?.name ?? '');
}

/**
 * Reads one chunk: its mentions from every source, and its sentences for the relations between them.
 * `subject` is what the note is about (its title): "It …" opening a sentence stands for it.
 */
export function readChunk(text: string, heading: string | null, subject: string | null = null): ChunkReading {
  const bag = new MentionBag();
  for (const target of wikilinkTargets(text)) bag.add(target, 'wikilink');
  const withoutFences = text.replace(FENCED_BLOCK, ' ');
  for (const match of withoutFences.matchAll(CODE_SPAN)) {
    const code = (match[1] ?? '').trim();
    if (isIdentifier(code)) bag.add(code.replace(/\(\)$/, ''), 'code');
  }
  const { prose, known, counted } = proseWithPlaceholders(text);
  for (const match of prose.matchAll(TAG)) bag.add(match[1] ?? '', 'tag');
  if (heading && isTopicHeading(heading)) {
    bag.add(
      heading.replace(WIKILINK, (_m, target: string) => target),
      'heading',
    );
  }
  const sentences = readSentences(prose, known, renderPlaceholders(known), subject);
  for (const sentence of sentences) {
    for (const name of sentence.names) {
      if (counted.has(name.name)) continue;
      bag.add(name.name, name.type === 'code' ? 'code' : 'name', name.type);
    }
  }
  return { mentions: bag.list(), sentences };
}

export function extractMentions(text: string, heading: string | null): Mention[] {
  return readChunk(text, heading).mentions;
}
