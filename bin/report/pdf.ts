import { PDFDocument } from 'pdf-lib';

/** Joins one-page PDFs (one per dashboard page) into the report's PDF, in order. */
export async function joinPdfs(parts: readonly Uint8Array[], title: string, version: string): Promise<Uint8Array> {
  const report = await PDFDocument.create();
  for (const part of parts) {
    const source = await PDFDocument.load(part);
    for (const page of await report.copyPages(source, source.getPageIndices())) report.addPage(page);
  }
  report.setTitle(title);
  report.setCreator('hydramem report');
  report.setProducer(`HydraMem ${version}`);
  // Plain objects rather than compressed object streams: any PDF tool (and a text search) can read the page tree.
  return report.save({ useObjectStreams: false });
}
