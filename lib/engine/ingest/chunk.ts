/**
 * Splits a markdown body into chunks: at H1-H3 headings first; a section longer than the limit is
 * cut at paragraph, then line, then sentence boundaries, and each piece repeats the tail of the one
 * before it (overlap) so that a fact cut in two is still found whole in one chunk.
 */
export interface Chunk {
  index: number;
  heading: string | null;
  text: string;
  tokens: number;
}

export interface ChunkOptions {
  maxTokens: number;
  overlapTokens: number;
}

/** A cheap, stable token estimate (about four characters a token for English prose). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

interface Section {
  heading: string | null;
  text: string;
}

const HEADING = /^(#{1,3})[ \t]+(.+?)[ \t]*#*[ \t]*$/;
const FENCE = /^[ \t]*(```|~~~)/;

export function splitSections(body: string): Section[] {
  const sections: Section[] = [];
  let heading: string | null = null;
  let headingLines = '';
  let text = '';
  let inFence = false;
  for (const line of body.split(/\r?\n/)) {
    if (FENCE.test(line)) inFence = !inFence;
    const match = inFence ? null : HEADING.exec(line);
    if (!match) {
      text += `${line}\n`;
      continue;
    }
    if (text.trim().length > 0) {
      sections.push({ heading, text: `${headingLines}${text}`.trim() });
      headingLines = '';
    }
    // A heading with no text under it (an H1 straight before an H2) travels with the next section.
    heading = (match[2] ?? '').trim();
    headingLines += `${line}\n`;
    text = '';
  }
  if (text.trim().length > 0 || headingLines.trim().length > 0) sections.push({ heading, text: `${headingLines}${text}`.trim() });
  return sections;
}

/** Splits text into units no larger than maxChars, trying paragraph, line, sentence, then word. */
function splitUnits(text: string, maxChars: number): string[] {
  const separators = [/\n\s*\n/, /\n/, /(?<=[.!?])\s+/, /\s+/];
  const split = (piece: string, level: number): string[] => {
    if (piece.length <= maxChars) return [piece];
    const separator = separators[level];
    if (!separator) {
      const hard: string[] = [];
      for (let start = 0; start < piece.length; start += maxChars) hard.push(piece.slice(start, start + maxChars));
      return hard;
    }
    return piece
      .split(separator)
      .filter((part) => part.trim().length > 0)
      .flatMap((part) => split(part, level + 1));
  };
  return split(text, 0);
}

function tailForOverlap(text: string, overlapChars: number): string {
  if (overlapChars <= 0 || text.length <= overlapChars) return overlapChars <= 0 ? '' : text;
  const tail = text.slice(text.length - overlapChars);
  const boundary = tail.search(/(?<=[.!?])\s+|\n/);
  const cut = boundary > 0 && boundary < tail.length - 20 ? tail.slice(boundary) : tail.slice(tail.indexOf(' ') + 1);
  return cut.trim();
}

export function chunkMarkdown(body: string, options: ChunkOptions): Chunk[] {
  const maxChars = options.maxTokens * 4;
  const overlapChars = Math.min(options.overlapTokens * 4, Math.floor(maxChars / 2));
  const chunks: Chunk[] = [];
  const push = (heading: string | null, text: string): void => {
    const trimmed = text.trim();
    if (trimmed.length === 0) return;
    chunks.push({ index: chunks.length, heading, text: trimmed, tokens: estimateTokens(trimmed) });
  };
  for (const section of splitSections(body)) {
    if (section.text.length <= maxChars) {
      push(section.heading, section.text);
      continue;
    }
    const units = splitUnits(section.text, Math.max(1, maxChars - overlapChars - 2));
    let current = '';
    for (const unit of units) {
      const joiner = current.length === 0 ? '' : '\n\n';
      if (current.length + joiner.length + unit.length > maxChars && current.length > 0) {
        push(section.heading, current);
        const overlap = tailForOverlap(current, overlapChars);
        current = overlap.length > 0 ? `${overlap}\n\n${unit}` : unit;
      } else {
        current += joiner + unit;
      }
    }
    push(section.heading, current);
  }
  return chunks;
}
