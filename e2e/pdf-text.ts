import zlib from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, type PDFObject, type PDFPage } from 'pdf-lib';

// The text on each sheet of a PDF, read the way a PDF reader does: each font's ToUnicode map turns the
// glyph codes of the content stream's Tj/TJ strings back into characters. Enough for Chromium's PDFs
// (Type0 fonts, hex strings); it lets a test see what a printed sheet says without OCR.

function streamText(doc: PDFDocument, object: PDFObject | undefined): string {
  const stream = object instanceof PDFRef ? doc.context.lookup(object) : object;
  if (!(stream instanceof PDFRawStream)) return '';
  const filter = stream.dict.get(PDFName.of('Filter'));
  const bytes = Buffer.from(stream.contents);
  return (filter === PDFName.of('FlateDecode') ? zlib.inflateSync(bytes) : bytes).toString('latin1');
}

/** A ToUnicode CMap as code → text, from its bfchar and bfrange sections. */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string): string =>
    String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((unit) => Number.parseInt(unit, 16)));
  for (const section of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, code, text] of (section[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
      map.set(Number.parseInt(code ?? '0', 16), utf16(text ?? ''));
  for (const section of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const [, lo, hi, text] of (section[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      const start = Number.parseInt(text ?? '0', 16);
      for (let code = Number.parseInt(lo ?? '0', 16); code <= Number.parseInt(hi ?? '0', 16); code += 1)
        map.set(code, String.fromCharCode(start + code - Number.parseInt(lo ?? '0', 16)));
    }
  return map;
}

function dictOf(doc: PDFDocument, object: PDFObject | undefined): PDFDict | undefined {
  const value = object instanceof PDFRef ? doc.context.lookup(object) : object;
  return value instanceof PDFDict ? value : value instanceof PDFRawStream ? value.dict : undefined;
}

/** The text drawn by one content stream with its resources, forms (XObjects) included. */
function contentText(doc: PDFDocument, content: string, resources: PDFDict | undefined, depth = 0): string {
  const fonts = new Map<string, Map<number, string>>();
  const fontDict = dictOf(doc, resources?.get(PDFName.of('Font')));
  for (const [name, ref] of fontDict?.entries() ?? [])
    fonts.set(name.asString(), toUnicode(streamText(doc, dictOf(doc, ref)?.get(PDFName.of('ToUnicode')))));
  const xobjects = dictOf(doc, resources?.get(PDFName.of('XObject')));
  let font = new Map<number, string>();
  let text = '';
  const decode = (hex: string): string =>
    (hex.match(/.{1,4}/g) ?? []).map((code) => font.get(Number.parseInt(code, 16)) ?? '').join('');
  const tokens =
    /\/([^\s/<>[\]()]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>\s*Tj|\[((?:[^\]]|\\\])*)\]\s*TJ|\/([^\s/<>[\]()]+)\s+Do|(ET)/g;
  for (const [, fontName, tj, tjArray, form, end] of content.matchAll(tokens)) {
    if (fontName) font = fonts.get(`/${fontName}`) ?? new Map();
    else if (tj !== undefined) text += decode(tj);
    else if (tjArray !== undefined) for (const [, hex] of tjArray.matchAll(/<([0-9a-fA-F]*)>/g)) text += decode(hex ?? '');
    else if (form && depth < 4) {
      const object = xobjects?.get(PDFName.of(form));
      const stream = object instanceof PDFRef ? doc.context.lookup(object) : object;
      if (stream instanceof PDFRawStream && stream.dict.get(PDFName.of('Subtype')) === PDFName.of('Form'))
        text += contentText(doc, streamText(doc, stream), dictOf(doc, stream.dict.get(PDFName.of('Resources'))), depth + 1);
    } else if (end) text += '\n';
  }
  return text;
}

export function pageText(doc: PDFDocument, page: PDFPage): string {
  const contents = page.node.get(PDFName.of('Contents'));
  const resolved = contents instanceof PDFRef ? doc.context.lookup(contents) : contents;
  const parts = resolved instanceof PDFArray ? resolved.asArray() : [contents];
  const content = parts.map((part) => streamText(doc, part)).join('\n');
  return contentText(doc, content, page.node.Resources());
}

/** Each sheet's text, in order. */
export async function pdfPageTexts(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((page) => pageText(doc, page));
}
