import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../lib/engine/engine';
import { readChunk } from '../lib/engine/ingest/extract';
import { MAX_EVIDENCE_CHARS } from '../lib/engine/ingest/prose';
import { GRAPH_SCHEMA_VERSION } from '../lib/store/graph-schema';
import { entityId } from '../lib/store/ids';
import { makeTenant, openEngine, query, writeFile, type Tenant } from './helpers';

const names = (text: string) =>
  readChunk(text, null)
    .mentions.map((m) => `${m.name}/${m.type}`)
    .sort();

const relations = (text: string) =>
  readChunk(text, null).sentences.flatMap((s) => s.relations.map((r) => ({ ...r, sentence: s.text })));

describe('entities from prose', () => {
  it('finds single-word names and identifiers in mid-sentence', () => {
    expect(names('Our search ranks chunks with Okapi weights and keeps vectors in LanceDB and FTS5 tables.')).toEqual([
      'FTS5/code',
      'LanceDB/code',
      'Okapi/name',
    ]);
    expect(names('The garden ranks nodes with NetworkX, as HydraMem did, and scores passages with BM25.')).toEqual([
      'BM25/code',
      'HydraMem/code',
      'NetworkX/code',
    ]);
  });

  it('types people, places and organisations by the lexicon', () => {
    expect(names('Yesterday Mara Okafor flew to London for a review at Stanford University.')).toEqual([
      'London/place',
      'Mara Okafor/person',
      'Stanford University/organization',
    ]);
  });

  it('takes no list markers, imperatives or ordinary sentence-initial capitals', () => {
    expect(names('3. Replay the log from the start.')).toEqual([]);
    expect(names('- Add Kerguelen to the station list.')).toEqual(['Kerguelen/name']);
    expect(names('Layout of the folder is flat. Documentation lives next to the code.')).toEqual([]);
  });

  it('takes no badge or image text, and a linked package name as the thing linked to', () => {
    expect(
      names(
        '[![Build Status](https://ci.example/badge.svg)](https://ci.example) We recommend [gunzip-maybe](https://x.example) here.',
      ),
    ).toEqual(['gunzip-maybe/code']);
  });

  it('counts a word that opens a sentence when the text also uses it in mid-sentence', () => {
    expect(names('Kestrel ships nightly. The data comes from Kestrel sensors.')).toEqual(['Kestrel/name']);
  });

  it('stays linear on one very long sentence', () => {
    const sentence = `${'Alpha Beta gamma LanceDB delta '.repeat(40_000)}end`;
    const started = performance.now();
    const reading = readChunk(sentence, null);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(reading.sentences).toHaveLength(1);
    expect(reading.sentences[0]?.text.length).toBeLessThanOrEqual(MAX_EVIDENCE_CHARS);
    expect(reading.mentions.map((m) => m.name).sort()).toEqual(['Alpha Beta', 'LanceDB']);
  });
});

describe('relations from prose', () => {
  it('reads subject, verb and object, with the sentence as evidence', () => {
    const sentence = 'Mara Okafor leads the Ground Segment team.';
    expect(relations(`${sentence} Nothing else.`)).toEqual([
      { from: 'Mara Okafor', to: 'Ground Segment', type: 'LEAD', sentence },
    ]);
  });

  it('keeps a sentence with wikilinks as written, no space before its punctuation', () => {
    expect(relations('[[Priya Raghunathan]] leads the [[Ingest Platform]], with [[Jonah Feld]].')).toContainEqual(
      expect.objectContaining({ sentence: 'Priya Raghunathan leads the Ingest Platform, with Jonah Feld.' }),
    );
  });

  it('turns a passive sentence round', () => {
    const sentence = 'NetworkX was replaced by LanceDB.';
    expect(relations(sentence)).toEqual([{ from: 'LanceDB', to: 'NetworkX', type: 'REPLACE', sentence }]);
  });

  it('relates names of one sentence only, never across sentences', () => {
    const first = 'HydraMem and LanceDB, together, at last.';
    expect(relations(`${first} Okapi came later.`)).toEqual([
      { from: 'HydraMem', to: 'LanceDB', type: 'CO_OCCURS', sentence: first },
    ]);
  });
});

describe('relation evidence in graph.db', () => {
  let tenant: Tenant;
  let engine: Engine | null = null;
  afterEach(() => {
    engine?.close();
    engine = null;
  });
  const graph = <T>(sql: string, ...params: unknown[]) => query<T>(path.join(tenant.dataDir, 'graph.db'), sql, ...params);
  const evidence = () =>
    graph<{ from_name: string; to_name: string; type: string; path: string; sentence: string }>(
      `SELECT f.name AS from_name, t.name AS to_name, r.type, d.path, e.sentence FROM relation_evidence e
         JOIN relations r ON r.id = e.relation_id JOIN entities f ON f.id = r.from_id JOIN entities t ON t.id = r.to_id
         JOIN documents d ON d.id = e.doc_id ORDER BY d.path, e.ordinal`,
    );

  it('is written at ingest, replaced on re-ingest and removed with the note', () => {
    tenant = makeTenant('ev');
    const file = writeFile(tenant.kms, 'search.md', '# Search notes\n\nHydraMem uses LanceDB for vectors.\n');
    engine = openEngine(tenant);
    engine.ingest(tenant.kms, { source: 'test' });
    expect(graph<{ user_version: number }>('PRAGMA user_version')[0]?.user_version).toBe(GRAPH_SCHEMA_VERSION);
    expect(evidence()).toEqual([
      {
        from_name: 'HydraMem',
        to_name: 'LanceDB',
        type: 'USE',
        path: 'search.md',
        sentence: 'HydraMem uses LanceDB for vectors.',
      },
    ]);

    fs.writeFileSync(file, '# Search notes\n\nHydraMem dropped LanceDB last spring.\n');
    engine.ingest(tenant.kms, { source: 'test' });
    expect(evidence()).toEqual([
      {
        from_name: 'HydraMem',
        to_name: 'LanceDB',
        type: 'DROP',
        path: 'search.md',
        sentence: 'HydraMem dropped LanceDB last spring.',
      },
    ]);
    expect(graph('SELECT 1 FROM relations WHERE type = ? AND valid_until IS NULL', 'USE')).toEqual([]);

    fs.rmSync(file);
    engine.ingest(tenant.kms, { source: 'test' });
    expect(graph('SELECT * FROM relation_evidence')).toEqual([]);
  });

  it('keeps at most three sentences per relation and note', () => {
    tenant = makeTenant('ev3');
    const lines = Array.from({ length: 5 }, (_, i) => `Step ${i + 1}: HydraMem uses LanceDB in stage ${i + 1}.`);
    writeFile(tenant.kms, 'many.md', `# Many\n\n${lines.join('\n')}\n`);
    engine = openEngine(tenant);
    engine.ingest(tenant.kms, { source: 'test' });
    const id = entityId('ev3', 'HydraMem');
    const rows = graph<{ sentence: string }>(
      'SELECT e.sentence FROM relation_evidence e JOIN relations r ON r.id = e.relation_id WHERE r.from_id = ? AND r.type = ? ORDER BY e.ordinal',
      id,
      'USE',
    );
    expect(rows.map((row) => row.sentence)).toEqual(lines.slice(0, 3).map((line) => line.replace(/^Step \d: /, '')));
  });
});
