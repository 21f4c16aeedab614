import { promisify } from 'node:util';
import { crc32, deflateRaw, inflateRaw } from 'node:zlib';
import { FileRejected, readCentralDirectory, ZipEntry } from './file-guard';

/**
 * Cells (`<c>`) and rows (`<row>`) without an `r` attribute: the format makes the reference optional
 * (each cell is then the next column, each row the next row), some generators leave it out, and exceljs'
 * streaming reader cannot place such cells. Sheets like that get their references written in before they
 * are read; the other entries of the archive are copied as they are.
 */

const inflate = promisify(inflateRaw);
const deflate = promisify(deflateRaw);

/** Beyond this a sheet without references is refused: rewriting holds it in memory once. */
export const MAX_REWRITTEN_SHEET_BYTES = 64 * 1024 * 1024;

const SHEET = /^xl\/worksheets\/[^/]+\.xml$/;
const TAG = /<(\/?)((?:[\w.-]+:)?(?:row|c))\b([^>]*?)(\/?)>/g;
const REFERENCE = /\sr\s*=\s*["']([A-Z]*)(\d+)["']/;

/** Whether the start of a sheet has a row or cell without its reference. */
export function lacksReferences(sheetHead: string): boolean {
  for (const match of sheetHead.matchAll(TAG)) {
    if (!match[1] && !REFERENCE.test(match[3]!)) return true;
  }
  return false;
}

/** The sheet's XML with every row and cell referenced (`r="3"`, `r="B3"`). */
export function addReferences(xml: string): string {
  let row = 0;
  let column = 0;
  return xml.replace(TAG, (tag, closing: string, name: string, attributes: string, selfClosing: string) => {
    if (closing) return tag;
    const given = REFERENCE.exec(attributes);
    if (name.endsWith('row')) {
      row = given ? Number(given[2]) : row + 1;
      column = 0;
      return given ? tag : `<${name} r="${row}"${attributes}${selfClosing}>`;
    }
    column = given?.[1] ? columnNumber(given[1]) : column + 1;
    return given ? tag : `<${name} r="${columnLetters(column)}${row}"${attributes}${selfClosing}>`;
  });
}

/** One entry of a ZIP being written: its bytes as stored (`method` 0) or raw-deflated (8). */
export interface ZipPart {
  name: string;
  data: Buffer;
  crc: number;
  /** Uncompressed size, as written in the headers. */
  size: number;
  method: number;
}

export async function withCellReferences(name: string, zip: Buffer): Promise<Buffer> {
  const entries = readCentralDirectory(name, zip);
  const parts: ZipPart[] = [];
  for (const entry of entries) {
    const raw = entryData(name, zip, entry);
    const kept = { name: entry.name, data: raw, crc: entry.crc, size: entry.uncompressedSize, method: entry.method };
    if (!SHEET.test(entry.name) || entry.method !== 8) {
      parts.push(kept);
      continue;
    }
    if (entry.uncompressedSize > MAX_REWRITTEN_SHEET_BYTES) {
      throw new FileRejected(
        `${name} has cells without references in a sheet of more than ${MAX_REWRITTEN_SHEET_BYTES / 1048576} MB; open it in a spreadsheet program and save it again, or send it as CSV`,
      );
    }
    const xml = (await inflate(raw)).toString('utf8');
    if (!lacksReferences(xml)) {
      parts.push(kept);
      continue;
    }
    const rewritten = Buffer.from(addReferences(xml), 'utf8');
    parts.push({ ...kept, data: await deflate(rewritten), crc: crc32(rewritten), size: rewritten.length });
  }
  return writeZip(parts);
}

function entryData(name: string, zip: Buffer, entry: ZipEntry): Buffer {
  const local = entry.localHeaderOffset;
  if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50) {
    throw new FileRejected(`${name} is not a readable XLSX file (damaged ZIP entry ${entry.name})`);
  }
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  return zip.subarray(start, start + entry.compressedSize);
}

export function writeZip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(part.method, 8);
    local.writeUInt32LE(part.crc >>> 0, 14);
    local.writeUInt32LE(part.data.length, 18);
    local.writeUInt32LE(part.size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, part.data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(part.method, 10);
    central.writeUInt32LE(part.crc >>> 0, 16);
    central.writeUInt32LE(part.data.length, 20);
    central.writeUInt32LE(part.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + part.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function columnNumber(letters: string): number {
  return [...letters].reduce((n, letter) => n * 26 + letter.charCodeAt(0) - 64, 0);
}

function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
