import type { UploadReportType, UploadRowError } from '@mt/contracts';
import {
  Cell,
  cellText,
  isBlank,
  Parsed,
  parseCountry,
  parseWeekStart,
  parseDecimal,
  parseIsbn,
  parseMonth,
  scaleDecimal,
  titleKey,
} from './cell-values';
import {
  AliasLookup,
  detectReportType,
  HeaderMapping,
  MappedColumn,
  mapHeaderRow,
  missingColumns,
  periodColumn,
} from './header-aliases';
import { SourceRow } from './row-sources';
import { DecimalMark, NumberColumn } from '../common/number-grammar';

export interface StatsRecord {
  kind: 'stats';
  period: string;
  title: string;
  isbn: string;
  titleKey: string;
  country: string;
  minutes: string;
  completes: string | null;
  sourceRow: number;
}

export interface RevenueRecord {
  kind: 'revenue';
  period: string;
  title: string;
  isbn: string;
  titleKey: string;
  country: string | null;
  revenueModel: string;
  minutes: string;
  units: string;
  currency: string;
  netRoyalty: string;
  sourceRow: number;
}

export type ReportRecord = StatsRecord | RevenueRecord;

export const MAX_ROW_ERRORS = 100;
/** Rows above the header that may hold titles, publisher names, statement periods. */
const HEADER_SEARCH_ROWS = 30;
const TOTALS_ROW = /^(grand\s+)?(sub)?totals?\b|^sum\b/i;
const WORLDWIDE = /^(ww|worldwide|world|all|global|-)$/i;

interface SheetState {
  name: string;
  mapping: HeaderMapping | null;
  rowsSearched: number;
}

/**
 * Turns physical rows into validated records: finds each sheet's header row, skips title, blank and
 * totals rows, and collects every row error (the first `MAX_ROW_ERRORS` kept) with row and column.
 */
export class ReportReader {
  type: UploadReportType | null;
  rows = 0;
  errorCount = 0;
  readonly errors: UploadRowError[] = [];
  readonly sheets: string[] = [];
  private sheet: SheetState | null = null;
  /** A header row was recognised, even if it lacked required columns. */
  private headerSeen = false;

  /** Numbers per sheet and column: a column's decimal mark is learnt from its values (number grammar). */
  private readonly numberColumns = new Map<string, NumberColumn>();

  /** `decimalMark`: how the file's ambiguous numbers are read until a column shows its own. */
  constructor(
    private readonly aliases: AliasLookup,
    private readonly baseCurrency: string,
    private readonly givenType: UploadReportType | null = null,
    private readonly decimalMark: DecimalMark = '.',
  ) {
    this.type = givenType;
  }

  numberColumn(sheet: string, index: number): NumberColumn {
    const key = `${sheet}\u0000${index}`;
    let column = this.numberColumns.get(key);
    if (!column) this.numberColumns.set(key, (column = new NumberColumn(this.decimalMark)));
    return column;
  }

  /** Reads one physical row: a header, a skipped row (null) or a record (null too when the row has errors). */
  read(row: SourceRow): ReportRecord | null {
    if (this.sheet?.name !== row.sheet) this.sheet = { name: row.sheet, mapping: null, rowsSearched: 0 };
    const sheet = this.sheet;
    const first = row.cells.find((cell) => !isBlank(cell));
    if (first === undefined) return null;
    if (!sheet.mapping) {
      if (sheet.rowsSearched++ < HEADER_SEARCH_ROWS) this.tryHeader(sheet, row);
      return null;
    }
    if (TOTALS_ROW.test(cellText(first))) return null;
    this.rows += 1;
    const cells = new RowCells(this, sheet.mapping, row);
    return this.type === 'spotify-revenue' ? this.revenueRecord(cells) : this.statsRecord(cells);
  }

  /** Call after the last row. */
  finish(): void {
    if (!this.headerSeen) {
      this.addError(
        null,
        null,
        null,
        'no report header row found: expected e.g. "Week starting, Title, ISBN, Country, Total listen minutes" or "Reporting period, Title, Territory, Revenue model, Net royalty"',
      );
    }
  }

  /** Convenience for callers that do not batch: every record of a source. */
  async *records(source: AsyncIterable<SourceRow>): AsyncGenerator<ReportRecord> {
    for await (const row of source) {
      const record = this.read(row);
      if (record) yield record;
    }
    this.finish();
  }

  private tryHeader(sheet: SheetState, row: SourceRow): void {
    const mapping = mapHeaderRow(row.cells.map(cellText), this.aliases);
    const detected = detectReportType(mapping);
    if (!detected) return;
    if (this.type && this.headerSeen && detected !== this.type) {
      this.addError(row.sheet, row.row, null, `this sheet is a ${detected} report, the file a ${this.type} report`);
      return;
    }
    const type = this.type ?? detected;
    this.headerSeen = true;
    const missing = missingColumns(type, mapping);
    for (const label of missing) this.addError(row.sheet, row.row, label, 'required column is missing');
    this.type = type;
    sheet.mapping = missing.length ? null : mapping;
    if (!missing.length && sheet.name) this.sheets.push(sheet.name);
    else sheet.rowsSearched = HEADER_SEARCH_ROWS;
  }

  private statsRecord(read: RowCells): StatsRecord | null {
    const mapping = read.mapping;
    const type = this.type!;
    const period = read.required(
      periodColumn(type, mapping)!,
      type === 'spotify-weekly' ? cachedWeekStart : cachedMonth,
    );
    const title = read.text(mapping.title!);
    const isbn = mapping.isbn ? (read.optional(mapping.isbn, cachedIsbn) ?? '') : '';
    const country = read.required(mapping.country!, cachedCountry);
    const minutes = read.number(mapping.minutes!, 13);
    const completes = mapping.completes ? read.optionalDecimal(mapping.completes, 11) : null;
    if (read.failed || period === null || title === null || country === null || minutes === null) return null;
    return {
      kind: 'stats',
      period,
      title,
      isbn,
      titleKey: titleKey(title, isbn),
      country,
      minutes,
      completes,
      sourceRow: read.row.row,
    };
  }

  private revenueRecord(read: RowCells): RevenueRecord | null {
    const mapping = read.mapping;
    const period = read.required(periodColumn('spotify-revenue', mapping)!, cachedMonth);
    const title = read.text(mapping.title!);
    const isbn = mapping.isbn ? (read.optional(mapping.isbn, cachedIsbn) ?? '') : '';
    const country = mapping.country ? read.optional(mapping.country, parseTerritory) : null;
    const revenueModel = read.text(mapping.revenueModel!);
    const minutes = mapping.minutes ? read.optionalNumber(mapping.minutes, 13) : '0';
    const units = mapping.units ? read.optionalNumber(mapping.units, 11) : '0';
    const currency = mapping.currency ? read.required(mapping.currency, parseCurrency) : this.baseCurrency;
    const netRoyalty = read.number(mapping.netRoyalty!, 11);
    if (
      read.failed ||
      period === null ||
      title === null ||
      revenueModel === null ||
      netRoyalty === null ||
      currency === null
    )
      return null;
    return {
      kind: 'revenue',
      period,
      title,
      isbn,
      titleKey: titleKey(title, isbn),
      country: country || null,
      revenueModel,
      minutes: minutes ?? '0',
      units: units ?? '0',
      currency,
      netRoyalty,
      sourceRow: read.row.row,
    };
  }

  addError(sheet: string | null, row: number | null, column: string | null, message: string): void {
    this.errorCount += 1;
    if (this.errors.length >= MAX_ROW_ERRORS) return;
    this.errors.push({ row, column, message, ...(sheet ? { sheet } : {}) });
  }
}

type CellParser<T> = (cell: Cell) => Parsed<T>;

/** The cells of one data row, read through the header mapping; each failure becomes a row error. */
class RowCells {
  failed = false;

  constructor(
    private readonly reader: ReportReader,
    readonly mapping: HeaderMapping,
    readonly row: SourceRow,
  ) {}

  required<T>(column: MappedColumn, parse: CellParser<T>): T | null {
    const cell = this.row.cells[column.index] ?? null;
    if (isBlank(cell)) return this.fail(column, 'is empty');
    const parsed = parse(cell);
    return parsed.ok ? parsed.value : this.fail(column, parsed.message);
  }

  optional<T>(column: MappedColumn, parse: CellParser<T>): T | null {
    const cell = this.row.cells[column.index] ?? null;
    if (isBlank(cell)) return null;
    const parsed = parse(cell);
    return parsed.ok ? parsed.value : this.fail(column, parsed.message);
  }

  text(column: MappedColumn): string | null {
    return this.required(column, parseText);
  }

  number(column: MappedColumn, digits: number): string | null {
    const numbers = this.reader.numberColumn(this.row.sheet, column.index);
    const value = this.required(column, (cell) => parseDecimal(cell, digits, numbers));
    return value === null ? null : scaleDecimal(value, column.factor);
  }

  optionalNumber(column: MappedColumn, digits: number): string {
    const numbers = this.reader.numberColumn(this.row.sheet, column.index);
    const value = this.optional(column, (cell) => parseDecimal(cell, digits, numbers));
    return value === null ? '0' : scaleDecimal(value, column.factor);
  }

  /** A number that may be missing: null then, unlike optionalNumber's 0. */
  optionalDecimal(column: MappedColumn, digits: number): string | null {
    const numbers = this.reader.numberColumn(this.row.sheet, column.index);
    return this.optional(column, (cell) => parseDecimal(cell, digits, numbers));
  }

  private fail(column: MappedColumn, message: string): null {
    this.failed = true;
    this.reader.addError(this.row.sheet, this.row.row, column.header, message);
    return null;
  }
}

function parseText(cell: Cell): Parsed<string> {
  const text = cellText(cell);
  const clean = /\s\s|[\t\n\r]/.test(text) ? text.replace(/\s+/g, ' ') : text;
  return clean.length <= 500 ? { ok: true, value: clean } : { ok: false, message: 'is longer than 500 characters' };
}

function parseCurrency(cell: Cell): Parsed<string> {
  const code = cellText(cell).toUpperCase();
  return /^[A-Z]{3}$/.test(code)
    ? { ok: true, value: code }
    : { ok: false, message: `"${cellText(cell)}" is not a currency code like USD` };
}

function parseTerritory(cell: Cell): Parsed<string> {
  return WORLDWIDE.test(cellText(cell)) ? { ok: true, value: '' } : cachedCountry(cell);
}

/**
 * A report repeats the same few weeks, countries and ISBNs on every row: parse each text once. Bounded,
 * so a file of a million distinct values cannot grow it without limit.
 */
function memoised<T>(parse: CellParser<T>, limit = 10_000): CellParser<T> {
  const cache = new Map<string, Parsed<T>>();
  return (cell) => {
    if (typeof cell !== 'string') return parse(cell);
    let parsed = cache.get(cell);
    if (!parsed) {
      if (cache.size >= limit) cache.clear();
      parsed = parse(cell);
      cache.set(cell, parsed);
    }
    return parsed;
  };
}

const cachedWeekStart = memoised(parseWeekStart);
const cachedMonth = memoised(parseMonth);
const cachedCountry = memoised(parseCountry);
const cachedIsbn = memoised(parseIsbn);
