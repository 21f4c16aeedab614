import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iterateStream from 'exceljs/lib/utils/iterate-stream';
import { Readable } from 'node:stream';
import { Open } from 'unzipper';
import { Cell } from './cell-values';
import { FileRejected, XLSX_LIMITS } from './file-guard';

/** One physical row of a report: `row` is 1-based within its sheet (CSV: the record number). */
export interface SourceRow {
  sheet: string;
  row: number;
  cells: Cell[];
}

/** The separator used by the first line that has any text: comma, semicolon (European Excel) or tab. */
export function sniffDelimiter(head: Buffer): string {
  const firstLine =
    head
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .find((line) => line.trim() !== '') ?? '';
  const counts = [',', ';', '\t'].map((delimiter) => [delimiter, firstLine.split(delimiter).length] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

/** Streams CSV records; memory holds one parser buffer, never the file's rows. */
export async function* csvRows(input: Readable, delimiter: string): AsyncGenerator<SourceRow> {
  const parser = input.pipe(
    parse({
      bom: true,
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      // Tab-delimited reports (Amazon's) do not quote: a title like `12" Vinyl` is text, not a quote.
      quote: delimiter === '\t' ? false : '"',
      skip_empty_lines: false,
      trim: true,
    }),
  );
  input.on('error', (error) => parser.destroy(error));
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      yield { sheet: '', row, cells: record };
    }
  } catch (error) {
    // The parser's own count: it reads ahead of the rows taken from it, and what it had read is lost.
    const records = (error as { records?: unknown }).records;
    throw new FileRejected(
      `CSV could not be read after record ${typeof records === 'number' ? records : row}: ${(error as Error).message}`,
    );
  }
}

/**
 * Streams XLSX rows sheet by sheet, in the workbook's order, with exceljs' worksheet reader (styles cached
 * so that date cells come back as dates). A cell count limit backs up the `<dimension>` check of
 * `checkXlsx` for files without one.
 *
 * The parts are taken from the zip's central directory, not from exceljs' one streaming pass over the
 * zip: that pass sometimes ends early, losing the sheet names when `xl/workbook.xml` is stored last (as
 * exceljs writes it; exceljs issue #3064) or a whole worksheet, so that a good file was refused, or
 * read in part, about once in 100 reads here.
 */
export async function* xlsxRows(source: WorkbookSource, maxCells = XLSX_LIMITS.maxCells): AsyncGenerator<SourceRow> {
  let cells = 0;
  try {
    for await (const worksheet of worksheets(source)) {
      for await (const row of worksheet.rows) {
        const values = Array.isArray(row.values) ? row.values.slice(1) : [];
        cells += values.length;
        if (cells > maxCells) {
          throw new FileRejected(`more than ${maxCells.toLocaleString('en-US')} cells; send large reports as CSV`);
        }
        yield { sheet: worksheet.name, row: row.number, cells: values.map(cellValue) };
      }
    }
  } catch (error) {
    if (error instanceof FileRejected) throw error;
    // exceljs' own messages ("Unexpected close tag") mean nothing to the person who uploaded the file.
    throw new FileRejected(
      'the workbook could not be read: it may be damaged; open it in a spreadsheet program and save it again',
      { cause: error },
    );
  }
}

/** Where a workbook's bytes are: on disk (uploads) or in memory. */
export type WorkbookSource = { path: string } | { buffer: Buffer };

/** The members of exceljs' streaming workbook reader that reading one part at a time uses. */
interface PartReader {
  model?: { sheets?: Array<{ name: string; rId: string }> };
  workbookRels?: Array<{ Id: string; Type: string; Target: string }>;
  _parseWorkbook(stream: Readable): Promise<void>;
  _parseRels(stream: Readable): Promise<void>;
  _parseSharedStrings(stream: Readable): AsyncIterable<unknown>;
  _parseStyles(stream: Readable): Promise<void>;
  _parseWorksheet(
    rows: AsyncIterable<unknown>,
    sheetNo: string,
  ): Iterable<{ value: { name?: string } & AsyncIterable<ExcelJS.Row> }>;
}

const WORKSHEET_PATH = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/**
 * The worksheets in the workbook's order (its relationships lead from each sheet to its part), each read
 * row by row from its own zip entry after the shared strings and styles were.
 */
async function* worksheets(source: WorkbookSource): AsyncGenerator<{ name: string; rows: AsyncIterable<ExcelJS.Row> }> {
  const directory = 'path' in source ? await Open.file(source.path) : await Open.buffer(source.buffer);
  const part = (path: string) => directory.files.find((entry) => entry.path === path)?.stream();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as PartReader;

  const workbook = part('xl/workbook.xml');
  if (!workbook) throw new Error('the zip has no xl/workbook.xml');
  await reader._parseWorkbook(workbook);
  const relationships = part('xl/_rels/workbook.xml.rels');
  if (relationships) await reader._parseRels(relationships);
  const sharedStrings = part('xl/sharedStrings.xml');
  if (sharedStrings) for await (const _ of reader._parseSharedStrings(sharedStrings)) void _;
  const styles = part('xl/styles.xml');
  if (styles) await reader._parseStyles(styles);

  for (const path of worksheetPaths(
    reader,
    directory.files.map((entry) => entry.path),
  )) {
    const sheetNo = WORKSHEET_PATH.exec(path)![1]!;
    const rows = part(path);
    if (!rows) throw new Error(`the zip has no ${path}, which the workbook names`);
    for (const { value } of reader._parseWorksheet(iterateStream(rows), sheetNo)) {
      yield { name: value.name ?? '', rows: value };
    }
  }
}

/**
 * The worksheet parts in the order of the workbook's `<sheets>`; a minimal workbook without
 * relationships: every worksheet part by its number.
 */
function worksheetPaths(reader: PartReader, paths: string[]): string[] {
  const targets = new Map((reader.workbookRels ?? []).map((rel) => [rel.Id, rel.Target.replace(/^\/?(xl\/)?/, 'xl/')]));
  const ordered = (reader.model?.sheets ?? [])
    .map((sheet) => targets.get(sheet.rId))
    .filter((path): path is string => path !== undefined && WORKSHEET_PATH.test(path));
  if (ordered.length > 0) return ordered;
  return paths
    .filter((path) => WORKSHEET_PATH.test(path))
    .sort((a, b) => Number(WORKSHEET_PATH.exec(a)![1]) - Number(WORKSHEET_PATH.exec(b)![1]));
}

function cellValue(value: ExcelJS.CellValue | undefined): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) {
    return value;
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return cellValue((value as { result?: ExcelJS.CellValue }).result);
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('error' in value) return null;
  return null;
}
