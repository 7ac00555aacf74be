/**
 * Extraction benchmark: precision and recall of the entities and relations today's extractor puts
 * in the graph, against hand labels (bench/fixtures/extract/labels.json) for ten sample notes and
 * five package READMEs from the retrieval corpus (plain prose, no wikilinks).
 *
 *   npm run bench:extract
 *
 * The labelled notes are copied into a temporary KNOWLEDGE_DIR and ingested by the real writer;
 * a note's extracted entities are the entities its chunks mention, and its extracted relations the
 * relations it is a recorded source of (relation_sources), both read from graph.db.
 *
 * Matching: a name is compared by its normalised form, lowercase with everything but letters and
 * digits removed (normaliseName, the same rule entity ids use), so "ADR-003" = "adr003". Relations
 * are compared as unordered pairs of normalised names, ignoring type; the typed figure also requires
 * the normalised types to be equal (the labels use the front-matter key as the type where the note
 * states one, e.g. TEAM or DEPENDS_ON, and a verb otherwise). Figures are micro-averaged over notes.
 * It reports figures only: nothing here passes or fails.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { wikilinkTargets } from '../lib/engine/ingest/extract';
import { normaliseName } from '../lib/store/ids';
import type { DB } from '../lib/store/open-writer';
import { visibleTo } from '../lib/store/scope';
import { BENCH_PROJECT, fixed3, log, printColumns, runBench, SHARED_READER, withBenchTenant } from './bench-tenant';
import { readLabels, REPO_ROOT, type LabelledNote } from './fixture-files';
import { precisionRecallF1, sumTallies, tally } from './scoring';

const FALSE_POSITIVES_SHOWN = 15;

interface NamedItem {
  key: string;
  text: string;
}

/** One note's labelled and extracted items, each keyed for matching. */
interface NoteItems {
  file: string;
  plainProse: boolean;
  entities: { gold: NamedItem[]; found: NamedItem[] };
  pairs: { gold: NamedItem[]; found: NamedItem[] };
  typed: { gold: NamedItem[]; found: NamedItem[] };
}

// ---------------------------------------------------------------------------------------------
// Keys

const pairKey = (from: string, to: string): string => [normaliseName(from), normaliseName(to)].sort().join('\u0000');

const typedKey = (from: string, to: string, type: string): string => `${pairKey(from, to)}\u0000${normaliseName(type)}`;

/** Distinct by key, the first text kept. */
function distinct(items: readonly NamedItem[]): NamedItem[] {
  const byKey = new Map<string, NamedItem>();
  for (const item of items) if (!byKey.has(item.key)) byKey.set(item.key, item);
  return [...byKey.values()];
}

// ---------------------------------------------------------------------------------------------
// What the graph holds for one note

interface ExtractedEntity {
  name: string;
  type: string;
}

interface ExtractedRelation {
  from_name: string;
  to_name: string;
  type: string;
}

function graphReader(graph: DB) {
  const entities = graph.prepare<Record<string, string | null>, ExtractedEntity>(
    `SELECT DISTINCT e.name, e.type FROM documents d JOIN chunks c ON c.doc_id = d.id
       JOIN mentions m ON m.chunk_id = c.id JOIN entities e ON e.id = m.entity_id
     WHERE d.project = @project AND d.path = @path AND ${visibleTo('e')} ORDER BY e.name`,
  );
  const relations = graph.prepare<Record<string, string | null>, ExtractedRelation>(
    `SELECT f.name AS from_name, t.name AS to_name, r.type FROM documents d
       JOIN relation_sources rs ON rs.doc_id = d.id JOIN relations r ON r.id = rs.relation_id
       JOIN entities f ON f.id = r.from_id JOIN entities t ON t.id = r.to_id
     WHERE d.project = @project AND d.path = @path AND ${visibleTo('r')} ORDER BY f.name, t.name, r.type`,
  );
  return (file: string) => {
    const args = { project: BENCH_PROJECT, path: file, ...SHARED_READER };
    return { entities: entities.all(args), relations: relations.all(args) };
  };
}

function noteItems(note: LabelledNote, extracted: { entities: ExtractedEntity[]; relations: ExtractedRelation[] }): NoteItems {
  const text = fs.readFileSync(path.join(REPO_ROOT, note.file), 'utf8');
  // A relation of a name with itself is no relation between two things: left out on both sides.
  const goldRelations = note.relations.filter((r) => normaliseName(r.from) !== normaliseName(r.to));
  const foundRelations = extracted.relations.filter((r) => normaliseName(r.from_name) !== normaliseName(r.to_name));
  return {
    file: note.file,
    plainProse: wikilinkTargets(text).length === 0,
    entities: {
      gold: distinct(note.entities.map((entity) => ({ key: normaliseName(entity.name), text: entity.name }))),
      found: distinct(
        extracted.entities.map((entity) => ({ key: normaliseName(entity.name), text: `${entity.name} (${entity.type})` })),
      ),
    },
    pairs: {
      gold: distinct(goldRelations.map((r) => ({ key: pairKey(r.from, r.to), text: `${r.from} - ${r.to}` }))),
      found: distinct(
        foundRelations.map((r) => ({ key: pairKey(r.from_name, r.to_name), text: `${r.from_name} - ${r.to_name}` })),
      ),
    },
    typed: {
      gold: distinct(
        goldRelations.flatMap((r) =>
          r.type ? [{ key: typedKey(r.from, r.to, r.type), text: `${r.from} -${r.type}- ${r.to}` }] : [],
        ),
      ),
      found: distinct(
        foundRelations.map((r) => ({
          key: typedKey(r.from_name, r.to_name, r.type),
          text: `${r.from_name} -${r.type}- ${r.to_name}`,
        })),
      ),
    },
  };
}

/** Extracted items that no label matches, taken one note at a time in turn, so the first few show every note's kind of miss. */
function falsePositives(notes: readonly NoteItems[], pick: (note: NoteItems) => { gold: NamedItem[]; found: NamedItem[] }) {
  const perNote = notes.map((note) => {
    const { gold, found } = pick(note);
    const goldKeys = new Set(gold.map((item) => item.key));
    return found.filter((item) => !goldKeys.has(item.key)).map((item) => `${path.basename(note.file)}: ${item.text}`);
  });
  const longest = Math.max(0, ...perNote.map((list) => list.length));
  return Array.from({ length: longest }, (_, index) => perNote.flatMap((list) => list.slice(index, index + 1))).flat();
}

// ---------------------------------------------------------------------------------------------
// Report

type Kind = 'entities' | 'pairs' | 'typed';

const KIND_LABELS: Record<Kind, string> = {
  entities: 'entities',
  pairs: 'relations (unordered pair, any type)',
  typed: 'relations (pair and type)',
};

function scoreRows(notes: readonly NoteItems[]): string[][] {
  return (Object.keys(KIND_LABELS) as Kind[]).map((kind) => {
    const total = sumTallies(notes.map((note) => tally(note[kind].gold, note[kind].found)));
    const { precision, recall, f1 } = precisionRecallF1(total);
    return [
      KIND_LABELS[kind],
      String(total.gold),
      String(total.found),
      String(total.truePositives),
      fixed3(precision),
      fixed3(recall),
      fixed3(f1),
    ];
  });
}

const SCORE_HEADER = ['', 'labelled', 'extracted', 'matched', 'P', 'R', 'F1'];

function printReport(notes: readonly NoteItems[]): void {
  console.log('\n== per note: labelled / extracted / matched ==');
  printColumns([
    ['note', 'prose only', 'entities', 'relation pairs'],
    ...notes.map((note) => {
      const entities = tally(note.entities.gold, note.entities.found);
      const pairs = tally(note.pairs.gold, note.pairs.found);
      return [
        note.file,
        note.plainProse ? 'yes' : 'no',
        `${entities.gold} / ${entities.found} / ${entities.truePositives}`,
        `${pairs.gold} / ${pairs.found} / ${pairs.truePositives}`,
      ];
    }),
  ]);
  const prose = notes.filter((note) => note.plainProse);
  const linked = notes.filter((note) => !note.plainProse);
  console.log(`\n== extraction bench: all ${notes.length} notes ==`);
  printColumns([SCORE_HEADER, ...scoreRows(notes)]);
  console.log(`\n== ${linked.length} sample notes with wikilinks ==`);
  printColumns([SCORE_HEADER, ...scoreRows(linked)]);
  console.log(`\n== ${prose.length} plain-prose notes (no wikilinks) ==`);
  printColumns([SCORE_HEADER, ...scoreRows(prose)]);
  for (const [title, list] of [
    ['entities', falsePositives(notes, (note) => note.entities)],
    ['relation pairs', falsePositives(notes, (note) => note.pairs)],
  ] as const) {
    console.log(
      `\n== false positives, ${title}: ${list.length} in all, the first ${Math.min(FALSE_POSITIVES_SHOWN, list.length)} ==`,
    );
    for (const line of list.slice(0, FALSE_POSITIVES_SHOWN)) console.log(`  ${line}`);
  }
}

function main(): void {
  const labels = readLabels();
  const notesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydramem-bench-notes-'));
  try {
    // Kept at their repository paths, so that a note's path in graph.db is its path in the labels.
    for (const note of labels) {
      const target = path.join(notesDir, note.file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(REPO_ROOT, note.file), target);
    }
    log(`extraction bench: ingesting ${labels.length} labelled notes with the writer engine`);
    withBenchTenant(notesDir, (tenant) => {
      const read = graphReader(tenant.graph);
      printReport(labels.map((note) => noteItems(note, read(note.file))));
    });
  } finally {
    fs.rmSync(notesDir, { recursive: true, force: true });
  }
}

runBench('extraction', main);
