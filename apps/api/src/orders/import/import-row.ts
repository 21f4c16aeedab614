import { DecimalMark, NumberColumn } from '../../common/number-grammar';
import { abs, Micros, microsOf } from '../decimal';
import { CellError, parseTimestamp } from './csv-values';

/** A cell problem, with the file line and the header as written in the file. */
export class RowError extends Error {
  constructor(
    readonly row: number,
    readonly column: string | null,
    message: string,
  ) {
    super(message);
  }
}

export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** Header positions by field, resolved once per file through the format's aliases. */
export class ColumnMap {
  private readonly index = new Map<string, number>();

  constructor(
    readonly headers: string[],
    aliases: Record<string, readonly string[]>,
  ) {
    const positions = new Map<string, number>();
    headers.forEach((header, i) => {
      const key = normalizeHeader(header);
      if (!positions.has(key)) positions.set(key, i);
    });
    for (const [field, names] of Object.entries(aliases)) {
      for (const name of names) {
        const position = positions.get(normalizeHeader(name));
        if (position !== undefined) {
          this.index.set(field, position);
          break;
        }
      }
    }
  }

  private readonly numberColumns = new Map<string, NumberColumn>();
  private decimalMark: DecimalMark = '.';

  /**
   * How this file's numbers are read: `decimalMark` until a column's own values show its mark, learnt
   * from every row of the file (`learn`) before any order is built.
   */
  readNumbers(decimalMark: DecimalMark): void {
    this.decimalMark = decimalMark;
    this.numberColumns.clear();
  }

  /** One row's evidence for the marks of its columns (only a `.` or `,` can show one). */
  learn(row: ImportRow): void {
    for (const field of this.index.keys()) {
      const text = row.text(field);
      if (/[.,]/.test(text)) this.numbers(field).learn(text);
    }
  }

  numbers(field: string): NumberColumn {
    let column = this.numberColumns.get(field);
    if (!column) {
      column = new NumberColumn(this.decimalMark);
      this.numberColumns.set(field, column);
    }
    return column;
  }

  has(field: string): boolean {
    return this.index.has(field);
  }

  position(field: string): number | undefined {
    return this.index.get(field);
  }

  header(field: string): string | null {
    const position = this.index.get(field);
    return position === undefined ? null : (this.headers[position] ?? null);
  }
}

/** One data row; readers throw RowError naming the line and the column. */
export class ImportRow {
  constructor(
    readonly line: number,
    readonly cells: string[],
    private readonly columns: ColumnMap,
  ) {}

  text(field: string): string {
    const position = this.columns.position(field);
    return position === undefined ? '' : (this.cells[position] ?? '').trim();
  }

  required(field: string): string {
    const value = this.text(field);
    if (!value) throw this.error(field, 'is empty');
    return value;
  }

  /** Exact amount, or null for an empty cell. */
  money(field: string): Micros | null {
    const value = this.text(field);
    if (!value) return null;
    const parsed = this.columns.numbers(field).read(value);
    if (parsed.ok) return microsOf(parsed.value);
    throw this.error(
      field,
      parsed.message.endsWith('is not a number') ? `"${value}" is not an amount` : parsed.message,
    );
  }

  absMoney(field: string): Micros {
    const value = this.money(field);
    return value === null ? 0n : abs(value);
  }

  /** A whole number ≥ 0; an empty cell is 0. */
  quantity(field: string): number {
    const value = this.text(field);
    if (!value) return 0;
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
      throw this.error(field, `"${value}" is not a quantity`);
    return Number(value);
  }

  date(field: string, zone: string): Date {
    const value = this.required(field);
    try {
      return parseTimestamp(value, zone);
    } catch (error) {
      throw this.error(field, error instanceof CellError ? error.message : `"${value}" is not a date`);
    }
  }

  optDate(field: string, zone: string): Date | null {
    return this.text(field) ? this.date(field, zone) : null;
  }

  currency(field: string): string | null {
    const value = this.text(field).toUpperCase();
    if (!value) return null;
    if (!/^[A-Z]{3}$/.test(value)) throw this.error(field, `"${value}" is not a currency code`);
    return value;
  }

  isBlank(): boolean {
    return this.cells.every((cell) => cell.trim() === '');
  }

  error(field: string, message: string): RowError {
    const column = this.columns.header(field) ?? field;
    return new RowError(this.line, column, `${column} ${message}`);
  }
}
