/**
 * The quality benchmarks' fixtures: where they are, their shapes, and their readers. The benches and
 * tests/bench-fixtures.test.ts read them the same way, so a fixture the test accepts is one the
 * benches can run on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const RETRIEVAL_DIR = path.join(__dirname, 'fixtures', 'retrieval');
export const CORPUS_DIR = path.join(RETRIEVAL_DIR, 'docs');
export const QUESTIONS_FILE = path.join(RETRIEVAL_DIR, 'questions.json');
export const SOURCES_FILE = path.join(RETRIEVAL_DIR, 'SOURCES.md');
export const LABELS_FILE = path.join(__dirname, 'fixtures', 'extract', 'labels.json');

const questionSchema = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  /** File names in the corpus folder, any of which answers the question. */
  answers: z.array(z.string().min(1)).min(1),
});

const labelledNoteSchema = z.object({
  /** The note's path from the repository root. */
  file: z.string().min(1),
  entities: z.array(z.object({ name: z.string().min(1), type: z.string().min(1).optional() })),
  relations: z.array(z.object({ from: z.string().min(1), to: z.string().min(1), type: z.string().min(1).optional() })),
});

export type Question = z.infer<typeof questionSchema>;
export type LabelledNote = z.infer<typeof labelledNoteSchema>;

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${path.relative(REPO_ROOT, file)}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function readQuestions(): Question[] {
  return readJson(QUESTIONS_FILE, z.array(questionSchema));
}

export function readLabels(): LabelledNote[] {
  return readJson(LABELS_FILE, z.array(labelledNoteSchema));
}

/** The corpus's markdown files, by name, sorted. */
export function corpusFiles(): string[] {
  return fs
    .readdirSync(CORPUS_DIR)
    .filter((file) => file.endsWith('.md'))
    .sort();
}
