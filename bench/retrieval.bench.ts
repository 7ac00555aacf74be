/**
 * Retrieval benchmark: how often today's search finds the document that answers a question worded
 * differently from it. The corpus is 63 package READMEs copied from node_modules
 * (bench/fixtures/retrieval/docs, origins in SOURCES.md); the questions and their answer documents
 * are hand-written paraphrases (questions.json).
 *
 *   npm run bench:retrieval
 *
 * Each question gets a document-level rank: the position of the first result chunk whose document
 * is one of its answers. R@k is the share of questions ranked k or better; MRR is the mean of
 * 1/rank over the top RESULT_DEPTH results (0 when no answer is among them). Lines:
 *   - BM25 over chunks: the FTS5 arm of the search alone, with the search's own query terms.
 *   - BM25 + graph: the two lists fused as before the dense arm (k = 60, equal weights), which is
 *     also the search with HYDRAMEM_DENSE=off.
 *   - dense alone: the chunks nearest the question's SIF vector.
 *   - all three arms: the search hydra_search_tool answers with (engine.search), with the weights
 *     of THREE_ARM_FUSION.
 *   - BM25 over whole documents: a reference, one FTS5 row per file, independent of chunking.
 * Then a grid search over the fusion's k and the graph and dense weights (the text weight is 1),
 * on the same lists: the source of THREE_ARM_FUSION.
 * Each question also shows its content-word overlap with the best-matching chunk of its answer
 * documents, so that how much of a paraphrase the set is can be seen. Deterministic: no sampling,
 * no timings in the table. It reports figures only: nothing here passes or fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  fuseArms,
  rankFused,
  THREE_ARM_FUSION,
  TWO_ARM_FUSION,
  type ArmLists,
  type FusionWeights,
} from '../lib/engine/search/fusion';
import { ftsExpression, searchTerms } from '../lib/engine/search/query-terms';
import type { DB } from '../lib/store/open-writer';
import { visibleTo } from '../lib/store/scope';
import {
  BENCH_PROJECT,
  fixed3,
  log,
  pct,
  printColumns,
  runBench,
  SHARED_READER,
  withBenchTenant,
  type BenchTenant,
} from './bench-tenant';
import { CORPUS_DIR, corpusFiles, readQuestions, type Question } from './fixture-files';
import { firstAnswerRank, meanReciprocalRank, recallAt } from './scoring';

/** The most results a search returns (its limit is capped at 100); MRR counts ranks within it. */
const RESULT_DEPTH = 100;
/** A question sharing at most this many content words with its best answer passage counts as a paraphrase. */
const LOW_OVERLAP = 2;

/** For each question, the ranked document file names one retrieval method returned. */
type Ranker = (question: Question) => string[];

interface MethodScores {
  name: string;
  ranks: (number | null)[];
}

// ---------------------------------------------------------------------------------------------
// Rankers

/** The FTS5 arm alone: the search's BM25 statement, run here read-only on the same index. */
function chunkBm25(graph: DB, docFile: Map<string, string>): Ranker {
  const statement = graph.prepare<Record<string, string | number | null>, { doc_id: string }>(
    `SELECT c.doc_id FROM (SELECT rowid, rank FROM chunks_fts WHERE chunks_fts MATCH @match ORDER BY rank LIMIT @limit) AS hits
     JOIN chunks c ON c.rowid = hits.rowid WHERE +c.project = @project AND ${visibleTo('c')} ORDER BY hits.rank`,
  );
  return (question) => {
    const match = ftsExpression(searchTerms(question.question));
    if (!match) return [];
    const rows = statement.all({ match, limit: RESULT_DEPTH, project: BENCH_PROJECT, ...SHARED_READER });
    return rows.map((row) => docFile.get(row.doc_id) ?? row.doc_id);
  };
}

/** The search, as hydra_search_tool calls it, for a caller without a user. */
function hybridSearch(tenant: BenchTenant, docFile: Map<string, string>): Ranker {
  return (question) =>
    tenant.engine
      .search({ query: question.question, limit: RESULT_DEPTH, tool: 'hydra_search_tool', sessionId: 'bench' })
      .results.map((hit) => docFile.get(hit.docId) ?? hit.docId);
}

/** Each question's three lists, computed once; every fusion of them is then a pure function. */
function armLists(tenant: BenchTenant, questions: readonly Question[]): ArmLists[] {
  return questions.map((question) => tenant.engine.searcher.arms(question.question, { userId: null, memoryId: null }).lists);
}

/** A fusion of precomputed lists as a ranker (every chunk of the bench tenant is shared, so none is filtered out). */
function fusedRanker(
  lists: readonly ArmLists[],
  questions: readonly Question[],
  chunkFile: Map<string, string>,
  weights: FusionWeights,
): Ranker {
  return (question) => {
    const arms = lists[questions.indexOf(question)];
    if (!arms) return [];
    return rankFused(fuseArms(arms, weights))
      .slice(0, RESULT_DEPTH)
      .map(([id]) => chunkFile.get(id) ?? id);
  };
}

const DENSE_ONLY: FusionWeights = { k: 60, text: 0, allTerms: 0, graph: 0, dense: 1 };
const GRID_K = [5, 10, 20, 40, 60, 100];
const GRID_GRAPH = [0, 0.25, 0.5, 1];
const GRID_DENSE = [0.5, 1, 1.5, 2, 3];
const GRID_ALL_TERMS = [0, 1];
const GRID_SHOWN = 12;

interface GridRow {
  weights: FusionWeights;
  ranks: (number | null)[];
}

function gridSearch(rank: (weights: FusionWeights) => (number | null)[]): GridRow[] {
  const rows: GridRow[] = [];
  for (const k of GRID_K)
    for (const graph of GRID_GRAPH)
      for (const dense of GRID_DENSE)
        for (const allTerms of GRID_ALL_TERMS) {
          const weights = { k, text: 1, allTerms, graph, dense };
          rows.push({ weights, ranks: rank(weights) });
        }
  const score = (row: GridRow): number[] => [meanReciprocalRank(row.ranks), recallAt(row.ranks, 1), recallAt(row.ranks, 5)];
  return rows.sort((a, b) => {
    const [x, y] = [score(a), score(b)];
    return (y[0] ?? 0) - (x[0] ?? 0) || (y[1] ?? 0) - (x[1] ?? 0) || (y[2] ?? 0) - (x[2] ?? 0);
  });
}

const weightsText = (w: FusionWeights): string =>
  `k=${w.k} text=${w.text} all-terms=${w.allTerms} graph=${w.graph} dense=${w.dense}`;

function printGrid(rows: readonly GridRow[]): void {
  console.log(`\n== fusion grid: ${rows.length} settings (text weight 1), best ${GRID_SHOWN} by MRR, then R@1, then R@5 ==`);
  const line = (row: GridRow): string[] => [
    weightsText(row.weights),
    fixed3(recallAt(row.ranks, 1)),
    fixed3(recallAt(row.ranks, 5)),
    fixed3(meanReciprocalRank(row.ranks)),
  ];
  printColumns([['weights', 'R@1', 'R@5', 'MRR'], ...rows.slice(0, GRID_SHOWN).map(line)]);
  const chosen = rows.find((row) => weightsText(row.weights) === weightsText(THREE_ARM_FUSION));
  const graphless = rows.find((row) => row.weights.graph === 0);
  if (chosen) console.log(`  in use (THREE_ARM_FUSION): ${line(chosen).join('  ')}`);
  if (graphless) console.log(`  best without the graph arm: ${line(graphless).join('  ')}`);
}

/** Plain BM25 with one row per whole file, in an in-memory FTS5 table with the store's tokenizer. */
function wholeDocumentBm25(files: readonly string[]): { rank: Ranker; close: () => void } {
  const memory = new Database(':memory:');
  memory.exec("CREATE VIRTUAL TABLE docs USING fts5(file UNINDEXED, body, tokenize='unicode61 remove_diacritics 2')");
  const insert = memory.prepare('INSERT INTO docs (file, body) VALUES (?, ?)');
  for (const file of files) insert.run(file, fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8'));
  const statement = memory.prepare<[string, number], { file: string }>(
    'SELECT file FROM docs WHERE docs MATCH ? ORDER BY rank, rowid LIMIT ?',
  );
  const rank: Ranker = (question) => {
    const match = ftsExpression(searchTerms(question.question));
    return match ? statement.all(match, RESULT_DEPTH).map((row) => row.file) : [];
  };
  return { rank, close: () => memory.close() };
}

// ---------------------------------------------------------------------------------------------
// Overlap of a question with its answer passages

/** Lowercase letter-and-digit runs: the words FTS5's unicode61 tokenizer indexes. */
function passageWords(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

interface Overlap {
  count: number;
  words: string[];
}

/** The question's content words (the search's own terms) found in its best-matching answer chunk. */
function bestPassageOverlap(question: Question, answerChunks: readonly string[]): Overlap {
  const terms = searchTerms(question.question);
  let best: Overlap = { count: 0, words: [] };
  for (const chunk of answerChunks) {
    const words = passageWords(chunk);
    const shared = terms.filter((term) => words.has(term));
    if (shared.length > best.count) best = { count: shared.length, words: shared };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Report

/** The questions, each checked to name only files that are in the corpus. */
function questionsFor(files: ReadonlySet<string>): Question[] {
  const questions = readQuestions();
  for (const question of questions) {
    const missing = question.answers.filter((file) => !files.has(file));
    if (missing.length > 0) throw new Error(`${question.id}: answer file(s) not in the corpus: ${missing.join(', ')}`);
  }
  return questions;
}

const rankText = (rank: number | null): string => (rank === null ? '-' : String(rank));

function printQuestions(questions: readonly Question[], overlaps: readonly Overlap[], methods: readonly MethodScores[]): void {
  console.log('\n== questions: content-word overlap with the best answer passage, and document rank per method ==');
  const header = ['id', 'overlap', 'shared words', ...methods.map((method) => method.name)];
  const rows = questions.map((question, index) => {
    const overlap = overlaps[index] ?? { count: 0, words: [] };
    return [
      question.id,
      String(overlap.count),
      overlap.words.join(' ') || '-',
      ...methods.map((method) => rankText(method.ranks[index] ?? null)),
    ];
  });
  printColumns([header, ...rows]);
}

function printTable(questions: readonly Question[], overlaps: readonly Overlap[], methods: readonly MethodScores[]): void {
  const low = overlaps.filter((overlap) => overlap.count <= LOW_OVERLAP).length;
  console.log(`\n== retrieval bench: ${questions.length} questions, document-level ranks, MRR over the top ${RESULT_DEPTH} ==`);
  const rows = methods.map((method) => [
    method.name,
    fixed3(recallAt(method.ranks, 1)),
    fixed3(recallAt(method.ranks, 5)),
    fixed3(meanReciprocalRank(method.ranks)),
  ]);
  printColumns([['method', 'R@1', 'R@5', 'MRR'], ...rows]);
  console.log(
    `\n  questions with overlap <= ${LOW_OVERLAP} content words: ${low} of ${questions.length} (${pct(low / Math.max(1, questions.length))})`,
  );
}

function main(): void {
  const files = corpusFiles();
  const questions = questionsFor(new Set(files));
  log(`retrieval bench: ingesting ${files.length} documents with the writer engine`);
  withBenchTenant(CORPUS_DIR, (tenant) => {
    log(`retrieval bench: ${tenant.ingest.chunksAdded} chunks; asking ${questions.length} questions`);
    const docs = tenant.graph
      .prepare<[string], { id: string; path: string }>('SELECT id, path FROM documents WHERE project = ?')
      .all(BENCH_PROJECT);
    const docFile = new Map(docs.map((doc) => [doc.id, path.basename(doc.path)]));
    const chunksOf = tenant.graph.prepare<[string, string], { text: string }>(
      'SELECT c.text FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE d.project = ? AND d.path = ?',
    );
    const overlaps = questions.map((question) =>
      bestPassageOverlap(
        question,
        question.answers.flatMap((file) => chunksOf.all(BENCH_PROJECT, file).map((row) => row.text)),
      ),
    );
    const chunkFile = new Map(
      tenant.graph
        .prepare<[string], { id: string; doc_id: string }>('SELECT id, doc_id FROM chunks WHERE project = ?')
        .all(BENCH_PROJECT)
        .map((row) => [row.id, docFile.get(row.doc_id) ?? row.doc_id]),
    );
    const lists = armLists(tenant, questions);
    const fused = (weights: FusionWeights): Ranker => fusedRanker(lists, questions, chunkFile, weights);
    const ranksOf = (rank: Ranker) => questions.map((question) => firstAnswerRank(rank(question), question.answers));
    const wholeDocs = wholeDocumentBm25(files);
    try {
      const rankers: [string, Ranker][] = [
        ['BM25 over chunks (FTS5 arm alone)', chunkBm25(tenant.graph, docFile)],
        ['BM25 + graph (k=60, equal weights; HYDRAMEM_DENSE=off)', fused(TWO_ARM_FUSION)],
        ['dense alone (SIF vectors, cosine)', fused(DENSE_ONLY)],
        [`all three arms: the search (${weightsText(THREE_ARM_FUSION)})`, hybridSearch(tenant, docFile)],
        ['reference: BM25 over whole documents', wholeDocs.rank],
      ];
      const methods = rankers.map(([name, rank]) => ({ name, ranks: ranksOf(rank) }));
      printQuestions(questions, overlaps, methods);
      printTable(questions, overlaps, methods);
      printGrid(gridSearch((weights) => ranksOf(fused(weights))));
    } finally {
      wholeDocs.close();
    }
  });
}

runBench('retrieval', main);
