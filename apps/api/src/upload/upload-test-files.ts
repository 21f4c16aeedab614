import { createDeflateRaw, crc32 } from 'node:zlib';
import { writeZip } from './xlsx-references';

/** Test support: hand-built ZIP/XLSX files (bombs, huge dimensions) that no spreadsheet program writes. */

export interface ZipEntryInput {
  name: string;
  /** Raw-deflated bytes. */
  data: Buffer;
  crc: number;
  size: number;
  /** Uncompressed size written into the headers (a lying archive declares less). */
  declaredSize?: number;
}

export async function deflated(chunks: Iterable<Buffer>): Promise<Omit<ZipEntryInput, 'name'>> {
  const deflate = createDeflateRaw({ level: 6 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  let crc = 0;
  let size = 0;
  for (const chunk of chunks) {
    crc = crc32(chunk, crc);
    size += chunk.length;
    if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await ended;
  return { data: Buffer.concat(out), crc, size };
}

export function* repeated(chunk: Buffer, times: number): Iterable<Buffer> {
  for (let i = 0; i < times; i++) yield chunk;
}

export function zip(entries: ZipEntryInput[]): Buffer {
  return writeZip(entries.map((entry) => ({ ...entry, size: entry.declaredSize ?? entry.size, method: 8 })));
}

export async function xmlEntry(name: string, xml: string): Promise<ZipEntryInput> {
  return { name, ...(await deflated([Buffer.from(xml)])) };
}

/** A minimal XLSX skeleton around the given worksheet entries. */
export async function xlsxWith(sheets: ZipEntryInput[]): Promise<Buffer> {
  const skeleton = await Promise.all([
    xmlEntry(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
    ),
    xmlEntry(
      'xl/workbook.xml',
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>',
    ),
  ]);
  return zip([...skeleton, ...sheets]);
}

/** The status an upload answers with these results (SPEC §4): 422 when not one file landed, else 200. */
export function uploadStatusOf(files: Array<{ status: string }>): 200 | 422 {
  return files.length > 0 && files.every((file) => file.status === 'rejected') ? 422 : 200;
}
