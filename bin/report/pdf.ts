import { PDFDocument } from 'pdf-lib';
import { paperPoints, type PaperName } from '../../lib/report/paper';

/**
 * Joins the dashboard pages' PDFs (each one or more sheets) into the report's PDF, in order.
 * Chromium sizes a sheet in steps of 0.96 pt (A4 comes out 595.92 × 841.92); each sheet is set to
 * the paper's exact size, its top edge kept, so that a printer recognises the paper. What that
 * trims or adds is a fraction of a millimetre of margin.
 */
export async function joinPdfs(
  parts: readonly Uint8Array[],
  paper: PaperName,
  title: string,
  version: string,
): Promise<{ bytes: Uint8Array; pages: number }> {
  const exact = paperPoints(paper);
  const report = await PDFDocument.create();
  for (const part of parts) {
    const source = await PDFDocument.load(part);
    for (const page of await report.copyPages(source, source.getPageIndices())) {
      const { height } = page.getSize();
      page.setMediaBox(0, height - exact.height, exact.width, exact.height);
      report.addPage(page);
    }
  }
  report.setTitle(title);
  report.setCreator('hydramem report');
  report.setProducer(`HydraMem ${version}`);
  // Plain objects rather than compressed object streams: any PDF tool (and a text search) can read the page tree.
  return { bytes: await report.save({ useObjectStreams: false }), pages: report.getPageCount() };
}
