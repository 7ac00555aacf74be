import { parse as parseYaml, YAMLParseError } from 'yaml';

export type FrontMatter = Record<string, unknown>;

export interface SplitNote {
  frontMatter: FrontMatter;
  body: string;
}

/** A note that cannot be ingested as it is (its front matter, its title); the one-line message says why. */
export class NoteContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteContentError';
  }
}

/** Front matter is a few lines of metadata: anything bigger is a mistake or an attack on the parser. */
export const MAX_FRONT_MATTER_BYTES = 64 * 1024;
/** Aliases in front matter: enough for any real note, far too few for an alias bomb. */
const MAX_YAML_ALIASES = 50;
const MAX_FRONT_MATTER_DEPTH = 20;

/** Whether a parsed value refers back to itself (a recursive YAML alias) or nests absurdly deep. */
function shapeProblem(value: unknown, ancestors: object[] = []): string | null {
  if (typeof value !== 'object' || value === null) return null;
  if (ancestors.includes(value)) return 'an alias refers to a value that contains it (a recursive YAML alias)';
  if (ancestors.length >= MAX_FRONT_MATTER_DEPTH) return `values are nested more than ${MAX_FRONT_MATTER_DEPTH} levels deep`;
  const children = value instanceof Map ? [...value.values()] : Object.values(value);
  for (const child of children) {
    const problem = shapeProblem(child, [...ancestors, value]);
    if (problem) return problem;
  }
  return null;
}

const OPENING = /^---[ \t]*\r?\n/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*$/m;

/** Splits YAML front matter (between `---` lines at the top) from the markdown body. */
export function splitFrontMatter(text: string): SplitNote {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const opening = OPENING.exec(source);
  if (!opening) return { frontMatter: {}, body: source };
  const rest = source.slice(opening[0].length);
  const closing = CLOSING.exec(rest);
  if (!closing) throw new NoteContentError('front matter opens with "---" on line 1 but is never closed by a "---" line');
  const yamlText = rest.slice(0, closing.index);
  const yamlBytes = Buffer.byteLength(yamlText);
  if (yamlBytes > MAX_FRONT_MATTER_BYTES) {
    throw new NoteContentError(
      `front matter is ${yamlBytes.toLocaleString('en-US')} bytes; at most ${MAX_FRONT_MATTER_BYTES.toLocaleString('en-US')} are read`,
    );
  }
  const body = rest.slice(closing.index + closing[0].length).replace(/^\r?\n/, '');
  let parsed: unknown;
  try {
    parsed = parseYaml(yamlText, { prettyErrors: true, uniqueKeys: true, maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    // The parser counts lines within the front matter, which starts on line 2 of the file: say the file's.
    const detail =
      error instanceof YAMLParseError
        ? (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')
        : String(error);
    const at = error instanceof YAMLParseError ? error.linePos?.[0] : undefined;
    const line = at ? ` (line ${at.line + 1}, column ${at.col})` : '';
    throw new NoteContentError(`front matter is not valid YAML${line}: ${detail}`);
  }
  if (parsed === null || parsed === undefined) return { frontMatter: {}, body };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new NoteContentError('front matter must be a mapping of keys to values');
  }
  const problem = shapeProblem(parsed);
  if (problem) throw new NoteContentError(`front matter cannot be read: ${problem}`);
  return { frontMatter: parsed as FrontMatter, body };
}

/** A front-matter value as a list of strings (a scalar becomes a one-element list). */
export function stringList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items
    .filter((item): item is string | number => typeof item === 'string' || typeof item === 'number')
    .map((item) => String(item).trim())
    .filter((item) => item.length > 0);
}
