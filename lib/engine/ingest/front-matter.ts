import { parse as parseYaml, YAMLParseError } from 'yaml';

export type FrontMatter = Record<string, unknown>;

export interface SplitNote {
  frontMatter: FrontMatter;
  body: string;
}

/** A note whose front matter cannot be read; the message says where and why. */
export class FrontMatterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrontMatterError';
  }
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
  if (!closing) throw new FrontMatterError('front matter opens with "---" on line 1 but is never closed by a "---" line');
  const yamlText = rest.slice(0, closing.index);
  const body = rest.slice(closing.index + closing[0].length).replace(/^\r?\n/, '');
  let parsed: unknown;
  try {
    parsed = parseYaml(yamlText, { prettyErrors: true, uniqueKeys: true, maxAliasCount: 100 });
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
    // Front matter starts on line 2 of the file.
    const line = error instanceof YAMLParseError && error.linePos ? ` (line ${error.linePos[0].line + 1})` : '';
    throw new FrontMatterError(`front matter is not valid YAML${line}: ${detail}`);
  }
  if (parsed === null || parsed === undefined) return { frontMatter: {}, body };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new FrontMatterError('front matter must be a mapping of keys to values');
  }
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
