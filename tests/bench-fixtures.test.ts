/**
 * Keeps the quality benchmarks' fixtures valid, so that nobody can break `npm run bench:retrieval`
 * or `npm run bench:extract` silently, and checks the figures they print on small hand-worked cases.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, corpusFiles, readLabels, readQuestions, REPO_ROOT, SOURCES_FILE } from '../bench/fixture-files';
import { firstAnswerRank, meanReciprocalRank, precisionRecallF1, recallAt, sumTallies, tally } from '../bench/scoring';

const KB = 1024;

/** The file column of SOURCES.md's table: every row that names a markdown file. */
function sourceRows(): string[] {
  return fs
    .readFileSync(SOURCES_FILE, 'utf8')
    .split('\n')
    .map((line) => /^\|\s*([\w.-]+\.md)\s*\|/.exec(line)?.[1])
    .filter((file): file is string => file !== undefined);
}

describe('retrieval fixtures', () => {
  const files = corpusFiles();
  const questions = readQuestions();

  it('has at least 55 documents of 2 to 45 KB, each of them listed with its origin in SOURCES.md', () => {
    expect(files.length).toBeGreaterThanOrEqual(55);
    for (const file of files) {
      const bytes = fs.statSync(path.join(CORPUS_DIR, file)).size;
      expect(bytes, file).toBeGreaterThanOrEqual(2 * KB);
      expect(bytes, file).toBeLessThanOrEqual(45 * KB);
    }
    expect(sourceRows().sort()).toEqual(files);
  });

  it('has at least 40 questions with distinct ids, each answered by files that exist in the corpus', () => {
    expect(questions.length).toBeGreaterThanOrEqual(40);
    expect(new Set(questions.map((question) => question.id)).size).toBe(questions.length);
    const corpus = new Set(files);
    for (const question of questions) {
      for (const answer of question.answers) expect(corpus.has(answer), `${question.id}: ${answer}`).toBe(true);
    }
  });
});

describe('extraction labels', () => {
  const labels = readLabels();

  it('labels notes that exist, each once, with every entity named in the note text (case-insensitive)', () => {
    expect(new Set(labels.map((note) => note.file)).size).toBe(labels.length);
    for (const note of labels) {
      const text = fs.readFileSync(path.join(REPO_ROOT, note.file), 'utf8').toLowerCase();
      expect(note.entities.length, note.file).toBeGreaterThan(0);
      for (const entity of note.entities)
        expect(text.includes(entity.name.toLowerCase()), `${note.file}: ${entity.name}`).toBe(true);
    }
  });

  it('only relates entities the same note labels', () => {
    for (const note of labels) {
      const names = new Set(note.entities.map((entity) => entity.name));
      for (const relation of note.relations) {
        expect(names.has(relation.from), `${note.file}: ${relation.from}`).toBe(true);
        expect(names.has(relation.to), `${note.file}: ${relation.to}`).toBe(true);
      }
    }
  });

  it('covers both sample notes with wikilinks and at least five plain-prose notes without', () => {
    const withLinks = labels.filter((note) => fs.readFileSync(path.join(REPO_ROOT, note.file), 'utf8').includes('[['));
    expect(withLinks.length).toBeGreaterThanOrEqual(5);
    expect(labels.length - withLinks.length).toBeGreaterThanOrEqual(5);
  });
});

describe('benchmark figures', () => {
  it('ranks a question by the first result from any of its answer documents', () => {
    expect(firstAnswerRank(['a.md', 'b.md', 'c.md', 'b.md'], ['c.md', 'b.md'])).toBe(2);
    expect(firstAnswerRank(['a.md'], ['z.md'])).toBeNull();
  });

  it('computes R@k and MRR, an unanswered question counting zero', () => {
    const ranks = [1, 3, null, 6];
    expect(recallAt(ranks, 1)).toBe(0.25);
    expect(recallAt(ranks, 5)).toBe(0.5);
    expect(meanReciprocalRank(ranks)).toBeCloseTo((1 + 1 / 3 + 0 + 1 / 6) / 4, 12);
  });

  it('computes precision, recall and F1 from matches summed over notes', () => {
    const first = tally([{ key: 'a' }, { key: 'b' }], [{ key: 'a' }, { key: 'x' }, { key: 'y' }]);
    const second = tally([{ key: 'c' }], [{ key: 'c' }]);
    const total = sumTallies([first, second]);
    expect(total).toEqual({ truePositives: 2, found: 4, gold: 3 });
    const { precision, recall, f1 } = precisionRecallF1(total);
    expect(precision).toBe(0.5);
    expect(recall).toBeCloseTo(2 / 3, 12);
    expect(f1).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3), 12);
    expect(precisionRecallF1({ truePositives: 0, found: 0, gold: 0 })).toEqual({ precision: 0, recall: 0, f1: 0 });
  });
});
