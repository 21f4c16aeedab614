/**
 * Cell parsers shared by every report kind. Each returns the value or an error message for the row
 * report; numbers stay decimal strings so that money is never a float.
 */

import { countryCodeOf } from '../common/countries';
import { NumberColumn, parseNumber } from '../common/number-grammar';

/** A cell as read from CSV (always text) or XLSX (typed). */
export type Cell = string | number | boolean | Date | null;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });

export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString();
  return String(cell).trim();
}

export function isBlank(cell: Cell): boolean {
  return cell === null || (typeof cell === 'string' && cell.trim() === '');
}

// Excel's day 0 is 1899-12-30 (it counts the non-existent 1900-02-29).
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

function dateFromParts(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  if (year < 2000 || year > 2100) return null;
  return date.toISOString().slice(0, 10);
}

function dateOfCell(cell: Cell): string | null {
  if (cell instanceof Date) return dateFromParts(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate());
  if (typeof cell === 'number' && Number.isInteger(cell) && cell > 30000 && cell < 80000) {
    return new Date(EXCEL_EPOCH_MS + cell * 86_400_000).toISOString().slice(0, 10);
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+Z?)?$/.exec(cellText(cell));
  return match ? dateFromParts(Number(match[1]), Number(match[2]), Number(match[3])) : null;
}

/** ISO date (`2025-04-28`), an XLSX date cell or an Excel serial day. */
export function parseDate(cell: Cell): Parsed<string> {
  const date = dateOfCell(cell);
  return date ? ok(date) : fail(`"${cellText(cell)}" is not a date like 2025-04-28`);
}

/**
 * The Monday nearest to a week's first day: ISO weeks start on Monday, and a report whose weeks start on
 * Sunday (or Saturday) means the week that is mostly the following ISO week. Stored weeks are therefore
 * always Mondays, which keeps week buckets a plain column in every query.
 */
export function parseWeekStart(cell: Cell): Parsed<string> {
  const parsed = parseDate(cell);
  if (!parsed.ok) return parsed;
  const date = new Date(`${parsed.value}T00:00:00Z`);
  const isoDay = date.getUTCDay() || 7;
  const shift = isoDay <= 4 ? 1 - isoDay : 8 - isoDay;
  return shift ? ok(new Date(date.getTime() + shift * 86_400_000).toISOString().slice(0, 10)) : parsed;
}

/** `2025-04`, or any date in the month; returns the first day of the month. */
export function parseMonth(cell: Cell): Parsed<string> {
  const text = cellText(cell);
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  if (month) {
    const first = dateFromParts(Number(month[1]), Number(month[2]), 1);
    if (first) return ok(first);
  }
  const date = month ? null : dateOfCell(cell);
  return date ? ok(`${date.slice(0, 8)}01`) : fail(`"${text}" is not a month like 2025-04`);
}

/**
 * A number through the one number grammar (common/number-grammar.ts): thousands separators, decimal
 * commas, accounting negatives, currency signs. `column` gives the context of the file's other values;
 * without it an ambiguous `1,234` is 1234. At most `maxIntegerDigits` before the point, so that
 * PostgreSQL's numeric column holds it.
 */
export function parseDecimal(cell: Cell, maxIntegerDigits = 12, column?: NumberColumn): Parsed<string> {
  let value: string;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return fail(`"${cell}" is not a number`);
    value = Math.abs(cell) < 1e-6 && cell !== 0 ? cell.toFixed(10) : String(cell);
    if (/e/i.test(value)) return fail(`"${value}" is out of range`);
  } else {
    const parsed = column ? column.read(cellText(cell)) : parseNumber(cellText(cell));
    if (!parsed.ok) return parsed;
    value = parsed.value;
  }
  const integer = /^-?(\d*)/.exec(value)![1]!;
  if (integer.length > maxIntegerDigits) return fail(`"${cellText(cell)}" is out of range`);
  return ok(value);
}

/** Exact product of a decimal string and a small positive factor (e.g. hours × 60). */
export function scaleDecimal(value: string, factor: number): string {
  if (factor === 1) return value;
  const [factorInt, factorFrac = ''] = String(factor).split('.');
  const negative = value.startsWith('-');
  const [int, frac = ''] = value.replace(/^[+-]/, '').split('.');
  const product = BigInt(`${int}${frac}`) * BigInt(`${factorInt}${factorFrac}`);
  const scale = frac.length + factorFrac.length;
  const digits = product.toString().padStart(scale + 1, '0');
  const result = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative && product !== 0n ? `-${result}` : result;
}

/** ISO 3166 alpha-2 code (any case) or English country name → `GB`. */
export function parseCountry(cell: Cell): Parsed<string> {
  const text = cellText(cell);
  const code = countryCodeOf(text);
  return code ? ok(code) : fail(text ? `"${text}" is not a country code or name` : 'country is missing');
}

/** Empty → ''; else ISBN-10/13 digits (hyphens and spaces dropped). */
export function parseIsbn(cell: Cell): Parsed<string> {
  const text = cellText(cell);
  if (!text) return ok('');
  const compact = text.replace(/[\s-]/g, '').toUpperCase();
  return /^(\d{13}|\d{9}[\dX])$/.test(compact) ? ok(compact) : fail(`"${text}" is not an ISBN`);
}

/** ISBN when there is one, else the normalised title: the title half of the natural key. */
export function titleKey(title: string, isbn: string): string {
  return isbn || title.toLowerCase().replace(/\s+/g, ' ').trim();
}
