import ExcelJS from 'exceljs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

export type ColumnKind = 'text' | 'number' | 'boolean';

export interface Column {
  name: string;
  kind: ColumnKind;
}

/** A row as PostgreSQL returns it: numbers as exact decimal strings, booleans, text; null for empty. */
export type Cell = string | boolean | null;

/** Writes rows to a stream, waiting for the stream to drain so that a slow client slows the export down. */
export interface TableWriter {
  write(rows: Cell[][]): Promise<void>;
  end(): Promise<void>;
}

/**
 * A spreadsheet treats a cell starting with = + - @ (and tab or CR, which some strip first) as a
 * formula: an order number like `=HYPERLINK(…)` from a platform must stay text (SPEC §7). Only text
 * cells: numbers are ours, and a negative amount is not a formula.
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** What `neutralise` prefixes, as a PostgreSQL regular expression: the same characters. */
const FORMULA_START_SQL = `'^[=+@\\t\\r-]'`;

/**
 * A SELECT of one column, the CSV line (CRLF included) that CsvWriter would write for each row of
 * `select` (whose columns are named as `columns`), for PostgreSQL to write instead of Node: text
 * neutralised as `neutralise` does and quoted as `csvField` does, booleans as true/false, NULL empty.
 * Its rows go to `CsvWriter.writeLines`.
 */
export function csvLinesSql(select: string, columns: Column[]): string {
  const cells = columns.map(({ name, kind }) => {
    const cell = `r."${name.replace(/"/g, '""')}"`;
    if (kind === 'boolean') return `${cell}::text`;
    if (kind === 'number') return cell;
    const neutralised = `CASE WHEN ${cell} ~ ${FORMULA_START_SQL} THEN '''' || ${cell} ELSE ${cell} END`;
    // The quote neutralise may add needs no quoting: the raw text says whether the field does.
    return `CASE WHEN ${cell} ~ '[",\\r\\n]' THEN '"' || replace(${neutralised}, '"', '""') || '"' ELSE ${neutralised} END`;
  });
  return `SELECT concat(${cells.join(", ',', ")}, E'\\r\\n') AS line FROM (${select}) r`;
}

/** RFC 4180: CRLF line ends; a field with a comma, quote or line break is quoted, quotes doubled. */
export class CsvWriter implements TableWriter {
  constructor(
    private readonly out: Writable,
    private readonly columns: Column[],
  ) {
    out.write(`${columns.map((c) => csvField(c.name)).join(',')}\r\n`);
  }

  write(rows: Cell[][]): Promise<void> {
    return this.writeLines(
      rows.map((row) => `${row.map((cell, i) => csvCell(cell, this.columns[i]!.kind)).join(',')}\r\n`),
    );
  }

  /** Lines as `write` makes them, or as PostgreSQL wrote them (see csvLinesSql), passed on to the client. */
  async writeLines(lines: string[]): Promise<void> {
    assertOpen(this.out);
    if (!this.out.write(lines.join(''))) await drained(this.out);
  }

  async end(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
  }
}

/** XLSX through exceljs' streaming writer: rows are committed as they come and never held. */
export class XlsxWriter implements TableWriter {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly sheet: ExcelJS.Worksheet;

  constructor(
    private readonly out: Writable,
    private readonly columns: Column[],
    sheetName: string,
  ) {
    this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    this.sheet = this.workbook.addWorksheet(sheetName);
    this.sheet.addRow(columns.map((c) => c.name)).commit();
  }

  async write(rows: Cell[][]): Promise<void> {
    assertOpen(this.out);
    for (const row of rows) this.sheet.addRow(row.map((cell, i) => xlsxCell(cell, this.columns[i]!.kind))).commit();
    // exceljs waits for neither its zip nor the stream: the sheet's bytes pile up in the deflate stream
    // (outside the V8 heap) when rows come faster than zlib packs them, and in the response when the
    // client reads slowly. Waiting for both keeps memory flat whatever the size.
    const deflating = sheetZipEntry(this.sheet);
    if (deflating?.writableNeedDrain) await drained(deflating);
    if (this.out.writableNeedDrain) await drained(this.out);
  }

  async end(): Promise<void> {
    this.sheet.commit();
    const finished = once(this.out, 'finish');
    await this.workbook.commit();
    await finished;
  }
}

/**
 * The stream that deflates the sheet into the zip (exceljs' StreamBuf writes into it without waiting),
 * or undefined should exceljs change its insides (then only the response's backpressure holds).
 */
function sheetZipEntry(sheet: ExcelJS.Worksheet): Writable | undefined {
  const pipes = (sheet as unknown as { stream?: { pipes?: unknown } }).stream?.pipes;
  const first: unknown = Array.isArray(pipes) ? pipes[0] : undefined;
  return first && typeof (first as Writable).once === 'function' && 'writableNeedDrain' in (first as object)
    ? (first as Writable)
    : undefined;
}

function csvCell(cell: Cell, kind: ColumnKind): string {
  if (cell === null) return '';
  if (kind === 'boolean' || typeof cell === 'boolean') return String(cell);
  return kind === 'number' ? cell : csvField(neutralise(cell));
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function xlsxCell(cell: Cell, kind: ColumnKind): string | number | boolean | null {
  if (cell === null) return null;
  if (typeof cell === 'boolean') return cell;
  // A spreadsheet number is a double anyway; the exact decimal is what the CSV export is for.
  return kind === 'number' ? Number(cell) : neutralise(cell);
}

/** Stops the export (and so the cursor) as soon as the client has gone, instead of reading on for nobody. */
function assertOpen(out: Writable): void {
  if (out.destroyed) throw new ClientGoneError();
}

/** Resolves when the stream drains, or rejects when it closes first (the client went away). */
async function drained(out: Writable): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      out.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      out.off('drain', onDrain);
      reject(new ClientGoneError());
    };
    out.once('drain', onDrain);
    out.once('close', onClose);
  });
}

export class ClientGoneError extends Error {
  constructor() {
    super('the client closed the connection');
  }
}
