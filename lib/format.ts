/** Number and time formatting shared by the dashboard's components (pure, so it is unit-tested). */

export function formatCount(value: number | null): string {
  if (value === null) return '–';
  if (Math.abs(value) >= 1_000_000) return `${(value / 1_000_000).toFixed(1)}M`;
  if (Math.abs(value) >= 10_000) return `${(value / 1000).toFixed(1)}k`;
  return Math.round(value).toLocaleString('en-US');
}

export function formatMs(value: number | null): string {
  if (value === null) return '–';
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

export function formatRatio(value: number | null): string {
  return value === null ? '–' : `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`;
}

export function formatBytes(value: number | null): string {
  if (value === null) return '–';
  if (value >= 1024 ** 3) return `${(value / 1024 ** 3).toFixed(1)} GiB`;
  if (value >= 1024 ** 2) return `${(value / 1024 ** 2).toFixed(1)} MiB`;
  if (value >= 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${value} B`;
}

/** Change against the previous period: null when there is nothing to compare with. */
export function relativeChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null) return null;
  if (previous === 0) return current === 0 ? 0 : null;
  // Net counts can be negative (more removed than added): the direction comes from the difference.
  return (current - previous) / Math.abs(previous);
}

export function formatChange(change: number | null): string {
  if (change === null) return 'no earlier data';
  if (change === 0) return 'no change';
  const pct = Math.abs(change * 100);
  return `${change > 0 ? '▲' : '▼'} ${pct >= 10 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

/** A date-time in the chosen time zone, e.g. "22 Nov 2026, 14:05". */
export function formatInstant(at: number | Date, timeZone: string, withSeconds = false): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  }).format(at);
}

export function formatBucketLabel(at: number, bucket: 'hour' | 'day', timeZone: string): string {
  return new Intl.DateTimeFormat(
    'en-GB',
    bucket === 'hour' ? { timeZone, hour: '2-digit', minute: '2-digit' } : { timeZone, day: 'numeric', month: 'short' },
  ).format(at);
}

/** A chunk's text as a one-paragraph preview: heading lines dropped, whitespace folded, cut at `max` characters. */
/** Wikilink syntax as a reader sees it: [[Name]] shows Name, [[target|label]] shows label. */
export function withoutLinkSyntax(text: string): string {
  return text.replace(/\[\[([^\[\]|]*)\|([^\[\]]*)\]\]/g, '$2').replace(/\[\[([^\[\]]*)\]\]/g, '$1');
}

/** A relation's weight: whole counts as they are, decayed ones to two decimals. */
export function formatWeight(weight: number): string {
  return Number.isInteger(weight) ? formatCount(weight) : weight.toFixed(2);
}

/** A search score to three significant digits (reciprocal-rank scores are small: at most 1.75 / 11 ≈ 0.159). */
export function formatScore(score: number | null): string {
  return score === null ? '–' : score.toPrecision(3);
}

export function textPreview(text: string, max = 280): string {
  const body = withoutLinkSyntax(text)
    .split('\n')
    .filter((line) => !/^#{1,6}\s/.test(line))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return body.length > max ? `${body.slice(0, max - 1)}…` : body;
}

/** "1 document", "3 documents": a count with its noun, in the singular for one. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

/**
 * What a table that holds back rows says about them ("50 of 364 shown", "50 of 10,000+ shown" when
 * the count stopped at its cap), or null when every row is there.
 */
export function rowsShownText(shown: number, total: number, capped = false): string | null {
  if (!capped && shown >= total) return null;
  return `${formatCount(shown)} of ${formatCount(total)}${capped ? '+' : ''} shown`;
}
