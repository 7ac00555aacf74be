import type { TimeRange } from '../request/range';
import { contentHash } from '../store/ids';
import type { PaperName } from './paper';
import type { ReportPageName } from './report-pages';

/** What the dashboard's report header said about the data it drew (its data-* attributes). */
export interface RenderedHeader {
  tenant: string;
  project: string;
  from: string;
  to: string;
  preset: string;
  timeZone: string;
  /** ISO instant of the newest event in the range, or null when there was none. */
  asOf: string | null;
  version: string;
}

export interface ManifestFile {
  file: string;
  sha256: string;
  bytes: number;
}

export interface ManifestPage extends ManifestFile {
  page: ReportPageName;
  url: string;
  width: number;
  height: number;
}

/** manifest.json beside the images: enough to say later exactly what a report shows and that it is unchanged. */
export interface ReportManifest {
  generator: 'hydramem report';
  version: string;
  createdAt: string;
  tenant: string;
  project: string;
  range: { preset: string; from: string; to: string; timeZone: string };
  dataAsOf: string | null;
  pages: ManifestPage[];
  /** report.pdf: how many sheets, and of which paper. */
  pdf: (ManifestFile & { pages: number; paper: PaperName }) | null;
}

export function describeFile(file: string, bytes: Uint8Array): ManifestFile {
  return { file, sha256: contentHash(bytes), bytes: bytes.byteLength };
}

/** Width and height from a PNG's IHDR chunk (bytes 16–23, big-endian). */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (png.byteLength < 24 || view.getUint32(0) !== 0x89504e47) throw new Error('not a PNG image');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * The manifest from what the pages reported. Every page was rendered for the same range; they
 * must agree on tenant, project and window, or the report would mix two views.
 */
export function buildManifest(input: {
  range: TimeRange;
  headers: RenderedHeader[];
  pages: ManifestPage[];
  pdf: ReportManifest['pdf'];
  createdAt: Date;
}): ReportManifest {
  const [first] = input.headers;
  if (!first) throw new Error('a report needs at least one page');
  for (const header of input.headers) {
    if (
      header.tenant !== first.tenant ||
      header.project !== first.project ||
      header.from !== first.from ||
      header.to !== first.to
    )
      throw new Error('the pages of this report disagree on tenant, project or time range');
  }
  const asOfs = input.headers.map((header) => header.asOf).filter((asOf): asOf is string => asOf !== null);
  return {
    generator: 'hydramem report',
    version: first.version,
    createdAt: input.createdAt.toISOString(),
    tenant: first.tenant,
    project: first.project,
    range: { preset: input.range.preset, from: first.from, to: first.to, timeZone: first.timeZone },
    dataAsOf: asOfs.length > 0 ? asOfs.reduce((a, b) => (a > b ? a : b)) : null,
    pages: input.pages,
    pdf: input.pdf,
  };
}
