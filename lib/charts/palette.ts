/**
 * Series colours for the light and the dark theme, keyed by what a series is, so the same thing
 * has the same colour on every chart. Each colour keeps at least 3:1 contrast against its theme's
 * panel (white, slate-900), the WCAG minimum for graphical objects.
 */
export interface SeriesColour {
  light: string;
  dark: string;
}

const teal = { light: '#0f766e', dark: '#2dd4bf' };
const violet = { light: '#7c3aed', dark: '#a78bfa' };
const sky = { light: '#0369a1', dark: '#38bdf8' };
const amber = { light: '#a16207', dark: '#fbbf24' };
const rose = { light: '#be123c', dark: '#fb7185' };
const slate = { light: '#475569', dark: '#94a3b8' };
// "Removed" beside "added" of the same kind: the same hue, lighter in light mode, darker in dark.
const skyRemoved = { light: '#0284c7', dark: '#0ea5e9' };
const violetRemoved = { light: '#8b5cf6', dark: '#8b5cf6' };
const tealRemoved = { light: '#0d9488', dark: '#14b8a6' };

export const PALETTE = {
  ok: teal,
  skipped: amber,
  failed: rose,
  running: amber,
  p50: teal,
  p95: amber,
  p99: rose,
  chunksAdded: sky,
  chunksRemoved: skyRemoved,
  entitiesAdded: violet,
  entitiesRemoved: violetRemoved,
  relationsAdded: teal,
  relationsRemoved: tealRemoved,
  merged: violet,
  pruned: rose,
  decayed: amber,
  boosted: sky,
  entities: teal,
  relations: violet,
  duration: teal,
  entityTypes: teal,
  relationTypes: violet,
  degree: sky,
  confidence: amber,
} as const satisfies Record<string, SeriesColour>;

export type PaletteKey = keyof typeof PALETTE;

/** Tools by rank on the stacked calls chart; the folded "other" is always grey. */
const TOOL_COLOURS: readonly SeriesColour[] = [teal, violet, sky, amber, rose];

export function toolColour(tool: string, rank: number): SeriesColour {
  return tool === 'other' ? slate : (TOOL_COLOURS[rank % TOOL_COLOURS.length] ?? slate);
}

export type Theme = 'light' | 'dark';

export function colourFor(colour: SeriesColour, theme: Theme): string {
  return colour[theme];
}
