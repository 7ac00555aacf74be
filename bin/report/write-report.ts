import fs from 'node:fs';
import path from 'node:path';
import { buildManifest, describeFile, pngSize, type ManifestPage, type ReportManifest } from '../../lib/report/manifest';
import type { PaperName } from '../../lib/report/paper';
import type { TimeRange } from '../../lib/request/range';
import { joinPdfs } from './pdf';
import type { RenderedPage } from './render-pages';

export const PDF_FILE = 'report.pdf';
export const MANIFEST_FILE = 'manifest.json';

/** Writes one PNG per page, the PDF on the paper asked for (if any), and manifest.json with every file's SHA-256. */
export async function writeReport(
  outDir: string,
  range: TimeRange,
  rendered: readonly RenderedPage[],
  createdAt: Date,
  paper: PaperName | null,
): Promise<ReportManifest> {
  const pages: ManifestPage[] = rendered.map(({ page, url, png }) => {
    const file = `${page}.png`;
    fs.writeFileSync(path.join(outDir, file), png);
    return { page, url: withoutOrigin(url), ...pngSize(png), ...describeFile(file, png) };
  });
  const pdfParts = rendered.flatMap((page) => (page.pdf ? [page.pdf] : []));
  let pdf: ReportManifest['pdf'] = null;
  const [first] = rendered;
  if (first && paper && pdfParts.length === rendered.length) {
    const { tenant, project } = first.header;
    const joined = await joinPdfs(pdfParts, paper, `HydraMem report: ${tenant} / ${project}`, first.header.version);
    fs.writeFileSync(path.join(outDir, PDF_FILE), joined.bytes);
    pdf = { ...describeFile(PDF_FILE, joined.bytes), pages: joined.pages, paper };
  }
  const manifest = buildManifest({ range, headers: rendered.map((page) => page.header), pages, pdf, createdAt });
  fs.writeFileSync(path.join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Path and query only: the manifest travels with the images, the dashboard's address need not. */
function withoutOrigin(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}
