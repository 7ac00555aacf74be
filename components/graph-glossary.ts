import type { RelationDirection } from '@/lib/read/entity-relations';

/**
 * What the graph's words mean, said where they are shown. Relation and entity types are the ones
 * the writer's extractor produces (lib/engine/ingest/extract.ts, prepare.ts); a front-matter key
 * becomes a relation type of its own, and agents or imports may bring others.
 */
const RELATIONS: Record<string, { meaning: string; out: string; in: string; both?: string }> = {
  CO_OCCURS: {
    meaning: 'both appear in one sentence of a note (in a note with wikilinks, one passage); the relation has no direction',
    out: 'named in the same passage as',
    in: 'named in the same passage as',
    both: 'named in the same passage as',
  },
  LINKS_TO: {
    meaning: 'a note links to the other with a wikilink',
    out: 'its note links to',
    in: 'linked to from the note of',
  },
  TAGGED: { meaning: 'a note carries the other as a #tag or front-matter tag', out: 'tagged', in: 'a tag of' },
};

/** The heading of one group: what the relation says from this entity's side. */
export function relationHeading(type: string, direction: RelationDirection): string {
  const known = RELATIONS[type];
  if (known) return direction === 'both' ? (known.both ?? known.out) : known[direction];
  const field = type.toLowerCase();
  return direction === 'in' ? `names it as “${field}”` : `its “${field}” names`;
}

/** What a relation type the extractor has no word of its own for means: it is named for its source. */
export const OTHER_RELATION_MEANING =
  'from the front-matter field of that name in a note that names the other with a wikilink, from a sentence whose ' +
  'verb joins the two, or recorded by an agent or an import';

/** One line on what a relation type means. */
export function relationMeaning(type: string): string {
  const field = type.toLowerCase();
  return (
    RELATIONS[type]?.meaning ??
    `from the front-matter field “${field}:” in a note that names the other with a wikilink, from a sentence whose verb ` +
      `(“${field.replace(/_/g, ' ')}”) joins the two, or recorded by an agent or an import`
  );
}

/** Whether a relation type has a meaning of its own rather than the one named for its source. */
export function isNamedRelation(type: string): boolean {
  return type in RELATIONS;
}

const ENTITY_TYPES: Record<string, string> = {
  concept: 'named in a wikilink',
  code: 'a code identifier: in `backticks`, or shaped like one in the text (CamelCase, ALL-CAPS, dotted, with digits)',
  tag: 'a #tag, in the text or the front matter',
  topic: 'a section heading',
  name: 'a proper name: two to four capitalised words, or one capitalised word in mid-sentence that is no common word',
  person: 'a proper name read as a person’s (its first word a first name in the English lexicon)',
  place: 'a proper name read as a place (a city, country or region in the English lexicon, or ending in a word like “Bay”)',
  organization: 'a proper name read as an organisation (known to the English lexicon, or ending in a word like “University”)',
  document: 'a note’s own title (a note without a front-matter type)',
};

/** What an entity type the extractor does not make means: a note's own type. */
export const OTHER_ENTITY_MEANING = 'a note’s title, typed so in its front matter (or by an agent or an import)';

/** One line on what an entity type means. */
export function entityTypeMeaning(type: string): string {
  return ENTITY_TYPES[type] ?? OTHER_ENTITY_MEANING.replace('typed so', `typed “${type}”`);
}

/** Whether an entity type is one the extractor makes, with a meaning of its own. */
export function isExtractedEntityType(type: string): boolean {
  return type in ENTITY_TYPES;
}
