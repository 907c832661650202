import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

// The text of each page of a generated PDF, read back with pdfjs, white space folded.
export async function pdfPages(body: Buffer): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(body), verbosity: 0, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(
      content.items
        .map((item) => ('str' in item ? item.str : ''))
        .join(' ')
        .replace(/\s+/g, ' '),
    );
  }
  await doc.destroy();
  return pages;
}
