/**
 * What an agent submits about entities and relations (ingest_prechunked, submit_session_extraction),
 * normalised as the extractor and the front matter are, and checked against the graph it goes into.
 */
import { normaliseName } from '../../store/ids';
import type { DB } from '../../store/open-writer';
import type { MemoryScope } from '../../store/scope';
import { UserError } from '../errors';
import { findEntities } from '../graph-read';
import type { Mention } from './extract';
import { MAX_TYPE_CHARS, relationTypeForKey, type NamedRelation } from './prepare';

export interface AgentEntity {
  name: string;
  /** Default concept. */
  type?: string;
}

export interface AgentRelation {
  from: string;
  to: string;
  type: string;
  /** 0..1, default 1. */
  confidence?: number;
}

/** How much one submission may hold: the MCP schemas refuse more. */
export const AGENT_LIMITS = {
  chunks: 200,
  chunkChars: 20_000,
  entities: 500,
  relations: 1_000,
  nameChars: 200,
  typeChars: MAX_TYPE_CHARS,
  relationTypeChars: 100,
} as const;

/** A submission the graph refuses (a relation naming no known entity), with the argument it is about. */
export class SubmissionFieldError extends UserError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`, 2);
  }
}

/** A name as the extractor keeps it: trimmed, runs of white space one space. */
export function cleanName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

/** A name the graph can key: it has a letter or a digit once normalised. */
export function isKeyableName(name: string): boolean {
  return normaliseName(name).length > 0;
}

function entityType(type: string | undefined): string {
  return type?.trim().toLowerCase() || 'concept';
}

/** The relation as the graph writer takes it, its type normalised as front-matter keys are. */
export function namedRelation(from: AgentEntity, to: AgentEntity, relation: AgentRelation): NamedRelation {
  return {
    from: from.name,
    to: to.name,
    type: relationTypeForKey(relation.type),
    count: 1,
    confidence: relation.confidence ?? 1,
  };
}

/** An entity the agent named, as a mention: as explicit as a wikilink. */
export function mentionOf(entity: Required<AgentEntity>): Mention {
  return { name: entity.name, type: entity.type, source: 'wikilink', count: 1 };
}

/**
 * The entities one submission may link: those it submits (the first spelling and type of a name
 * win) and those the graph already has where the submission is written (the shared graph, and the
 * writer's own memory for a user), found by id, name or alias.
 */
export class SubmittedEntities {
  private readonly submitted = new Map<string, Required<AgentEntity>>();

  constructor(
    private readonly db: DB,
    private readonly project: string,
    private readonly scope: MemoryScope,
  ) {}

  add(entity: AgentEntity): Required<AgentEntity> {
    const name = cleanName(entity.name);
    const norm = normaliseName(name);
    const known = this.submitted.get(norm);
    if (known) return known;
    const added = { name, type: entityType(entity.type) };
    this.submitted.set(norm, added);
    return added;
  }

  get count(): number {
    return this.submitted.size;
  }

  /** The entity a relation's end names; `field` is where the caller wrote it. */
  end(ref: string, field: string): Required<AgentEntity> {
    const name = cleanName(ref);
    const own = this.submitted.get(normaliseName(name));
    if (own) return own;
    const [existing] = findEntities(this.db, this.project, name, this.scope);
    if (existing) return { name: existing.name, type: existing.type };
    throw new SubmissionFieldError(
      field,
      `"${name}" is neither one of the submitted entities nor an entity of the graph; submit it with its type in entities (nothing was written).`,
    );
  }
}
