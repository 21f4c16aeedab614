import { createInflateRaw } from 'node:zlib';
import { lacksReferences } from './xlsx-references';

/**
 * Checks that run before any parsing: is the file what its name says, and can an XLSX be opened without
 * exhausting memory or time (zip bombs, sheets with millions of cells)?
 */

export type FileKind = 'csv' | 'xlsx';

export class FileRejected extends Error {}

/** Beyond these an XLSX is refused; larger reports belong in CSV, which streams without unzipping. */
export const XLSX_LIMITS = {
  maxUncompressedBytes: 256 * 1024 * 1024,
  maxCells: 2_000_000,
  /** Uncompressed ÷ compressed of one entry; real sheets stay far below. */
  maxRatio: 200,
};

const SIGNATURES: Array<[string, number[]]> = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['a PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['a legacy Excel (.xls) file; save it as .xlsx or .csv', [0xd0, 0xcf, 0x11, 0xe0]],
  ['a gzip archive', [0x1f, 0x8b]],
];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** The start of each sheet kept for its `<dimension>` and its first rows' cell references. */
const HEAD_CHARS = 16 * 1024;

const startsWith = (head: Buffer, bytes: number[]) => bytes.every((byte, i) => head[i] === byte);

/** What the bytes are, checked against the name's extension. */
export function detectFileKind(name: string, head: Buffer): FileKind {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  for (const [what, bytes] of SIGNATURES) {
    if (startsWith(head, bytes)) throw new FileRejected(`${name} is ${what}, not a CSV, XLSX or JSON file`);
  }
  const zip = startsWith(head, ZIP);
  if (zip) {
    if (extension !== 'xlsx')
      throw new FileRejected(`${name} is a ZIP/XLSX file but is named .${extension || '(none)'}`);
    return 'xlsx';
  }
  if (extension === 'xlsx') throw new FileRejected(`${name} is named .xlsx but is not an XLSX (ZIP) file`);
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    throw new FileRejected(`${name} is UTF-16 text; save it as CSV UTF-8`);
  }
  if (head.subarray(0, 8192).includes(0))
    throw new FileRejected(`${name} is a binary file, not a CSV, JSON or XML text file`);
  return 'csv';
}

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export function readCentralDirectory(name: string, zip: Buffer): ZipEntry[] {
  const searchFrom = Math.max(0, zip.length - 65_557);
  let eocd = -1;
  for (let i = zip.length - 22; i >= searchFrom; i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new FileRejected(`${name} is not a readable XLSX file (damaged ZIP)`);
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== 0x02014b50) {
      throw new FileRejected(`${name} is not a readable XLSX file (damaged ZIP directory)`);
    }
    const nameLength = zip.readUInt16LE(offset + 28);
    const entry: ZipEntry = {
      method: zip.readUInt16LE(offset + 10),
      crc: zip.readUInt32LE(offset + 16),
      compressedSize: zip.readUInt32LE(offset + 20),
      uncompressedSize: zip.readUInt32LE(offset + 24),
      localHeaderOffset: zip.readUInt32LE(offset + 42),
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
    };
    if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff) {
      throw new FileRejected(`${name} is a ZIP64 archive; an XLSX report that large must be sent as CSV`);
    }
    entries.push(entry);
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return entries;
}

/**
 * Inflates every entry once, counting bytes without keeping them, and stops as soon as a limit is
 * crossed: the declared sizes of a ZIP can lie, the inflated byte count cannot. Worksheet `<dimension>`
 * elements give the cell count before the sheet is parsed.
 */
export async function checkXlsx(
  name: string,
  zip: Buffer,
  limits = XLSX_LIMITS,
): Promise<{ withoutReferences: boolean }> {
  const entries = readCentralDirectory(name, zip);
  let withoutReferences = false;
  const tooBig = `${name} expands to more than ${Math.round(limits.maxUncompressedBytes / 1048576)} MB; send large reports as CSV`;
  const declared = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (declared > limits.maxUncompressedBytes) throw new FileRejected(tooBig);
  let total = 0;
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    const local = entry.localHeaderOffset;
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50) {
      throw new FileRejected(`${name} is not a readable XLSX file (damaged ZIP entry ${entry.name})`);
    }
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + entry.compressedSize);
    const isSheet = /^xl\/worksheets\/[^/]+\.xml$/.test(entry.name);
    const { bytes, head } = await inflatedSize(data, entry.method, isSheet, (sofar) => {
      if (total + sofar > limits.maxUncompressedBytes) return tooBig;
      if (sofar > 10 * 1048576 && sofar / Math.max(1, data.length) > limits.maxRatio) {
        return `${name} looks like a ZIP bomb (${entry.name} expands more than ${limits.maxRatio}-fold)`;
      }
      return null;
    }).catch((error: unknown) => {
      if (error instanceof FileRejected) throw error;
      throw new FileRejected(`${name} is not a readable XLSX file (${entry.name}: ${(error as Error).message})`);
    });
    total += bytes;
    if (isSheet && lacksReferences(head)) withoutReferences = true;
    const dimension = isSheet ? /<dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"/.exec(head) : null;
    if (dimension?.[3] && dimension[4]) {
      const cells =
        (Number(dimension[4]) - Number(dimension[2]) + 1) *
        (columnNumber(dimension[3]) - columnNumber(dimension[1]!) + 1);
      if (cells > limits.maxCells) {
        throw new FileRejected(
          `${name} has ${cells.toLocaleString('en-US')} cells in ${entry.name}; the limit for XLSX is ${limits.maxCells.toLocaleString('en-US')} (send large reports as CSV)`,
        );
      }
    }
  }
  return { withoutReferences };
}

function columnNumber(letters: string): number {
  return [...letters].reduce((n, letter) => n * 26 + letter.charCodeAt(0) - 64, 0);
}

function inflatedSize(
  data: Buffer,
  method: number,
  keepHead: boolean,
  check: (bytes: number) => string | null,
): Promise<{ bytes: number; head: string }> {
  if (method === 0) {
    const problem = check(data.length);
    if (problem) return Promise.reject(new FileRejected(problem));
    return Promise.resolve({ bytes: data.length, head: keepHead ? data.subarray(0, HEAD_CHARS).toString('utf8') : '' });
  }
  if (method !== 8) return Promise.reject(new FileRejected(`unsupported ZIP compression method ${method}`));
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
    let bytes = 0;
    let head = '';
    inflate.on('data', (chunk: Buffer) => {
      if (keepHead && head.length < HEAD_CHARS) head += chunk.subarray(0, HEAD_CHARS - head.length).toString('utf8');
      bytes += chunk.length;
      const problem = check(bytes);
      if (problem) {
        inflate.destroy();
        reject(new FileRejected(problem));
      }
    });
    inflate.on('error', reject);
    inflate.on('end', () => resolve({ bytes, head }));
    inflate.end(data);
  });
}
