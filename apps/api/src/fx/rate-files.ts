import type { UploadRowError } from '@mt/contracts';
import { DecimalMark, NumberColumn } from '../common/number-grammar';
import { Cell, cellText, isBlank, parseDate, parseDecimal } from '../upload/cell-values';
import { headerKey } from '../upload/header-aliases';
import { SourceRow } from '../upload/row-sources';

/**
 * Exchange-rate files (SPEC §4, FORMATS.md §8): the `date,currency,rate` CSV (1 unit of the currency =
 * rate units of the base currency) and the ECB's own files, XML and CSV, whose rates are units of the
 * currency per 1 EUR. Reading only; storing and the cross rates through EUR are FxRepository's.
 */

/** One rate in the base currency. */
export interface BaseRate {
  day: string;
  currency: string;
  /** Decimal string, > 0. */
  rate: string;
}

/** One ECB quote: `perEur` units of `currency` for 1 EUR. */
export interface EcbQuote {
  day: string;
  currency: string;
  perEur: string;
}

export type RateInput = { kind: 'base'; rates: BaseRate[] } | { kind: 'ecb'; quotes: EcbQuote[] };

export type RateFileKind = 'fx-rates' | 'ecb-rates';

export interface RateFileContent {
  input: RateInput;
  /** Data rows (CSV) or days (XML) read. */
  rows: number;
  errors: UploadRowError[];
}

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const MAX_ERRORS = 100;

/** `ZAR` for a known ISO 4217 code in any case, else the message of a row error. */
export function parseCurrencyCode(cell: Cell): { ok: true; value: string } | { ok: false; message: string } {
  const code = cellText(cell).toUpperCase();
  return KNOWN_CURRENCIES.has(code)
    ? { ok: true, value: code }
    : { ok: false, message: `"${cellText(cell)}" is not a known currency code (ISO 4217, e.g. ZAR)` };
}

/**
 * A rate: a decimal with at most 10 integer digits, greater than 0. `0,054` is 0.054; a `1,234` that
 * could be a thousand times more is refused unless the column's decimal mark is the comma (see the
 * number grammar), because a guessed factor of 1,000 would convert every waiting order wrongly.
 */
export function parseRate(
  cell: Cell,
  column: NumberColumn = new NumberColumn('.', { thousands: false }),
): { ok: true; value: string } | { ok: false; message: string } {
  const parsed = parseDecimal(cell, 10, column);
  if (!parsed.ok) return parsed;
  return /^-|^0(\.0*)?$/.test(parsed.value)
    ? { ok: false, message: `${parsed.value} is not a rate: a rate must be greater than 0` }
    : parsed;
}

/**
 * Checks one `{ date, currency, rate }` (a CSV row or an API row); `push` receives each problem with
 * the column it belongs to. The base currency's own rate is always 1 and is refused.
 */
export function readBaseRate(
  cells: { date: Cell; currency: Cell; rate: Cell },
  base: string,
  push: (column: 'date' | 'currency' | 'rate', message: string) => void,
  rateColumn?: NumberColumn,
): BaseRate | null {
  const day = isBlank(cells.date) ? null : parseDate(cells.date);
  const currency = isBlank(cells.currency) ? null : parseCurrencyCode(cells.currency);
  const rate = isBlank(cells.rate) ? null : parseRate(cells.rate, rateColumn);
  if (!day) push('date', 'is empty');
  else if (!day.ok) push('date', day.message);
  if (!currency) push('currency', 'is empty');
  else if (!currency.ok) push('currency', currency.message);
  else if (currency.value === base) push('currency', `${base} is the base currency: its rate is always 1`);
  if (!rate) push('rate', 'is empty');
  else if (!rate.ok) push('rate', rate.message);
  if (!day?.ok || !currency?.ok || currency.value === base || !rate?.ok) return null;
  return { day: day.value, currency: currency.value, rate: rate.value };
}

/** The kind of rate file these first bytes begin, or null when they are not one. */
export function recogniseRateFile(head: Buffer): RateFileKind | null {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  if (/^\s*<(\?xml|gesmes:Envelope)/.test(text)) return /eurofxref|<Cube\b/.test(text) ? 'ecb-rates' : null;
  const first = (text.split(/\r?\n/, 1)[0] ?? '').split(/[,;\t]/).map((cell) => headerKey(cell.replace(/"/g, '')));
  const named = first.filter(Boolean);
  if (named.length === 3 && ['date', 'currency', 'rate'].every((name) => named.includes(name))) return 'fx-rates';
  if (named[0] === 'date' && named.length >= 2 && named.slice(1).every((code) => /^[a-z]{3}$/.test(code)))
    return 'ecb-rates';
  return null;
}

/**
 * Reads a rate CSV of either kind from its rows; one error list with row and column, one transaction
 * later. `decimalMark`: the file's, from its delimiter (see assumedDecimalMark).
 */
export async function readRateCsv(
  rows: AsyncIterable<SourceRow>,
  base: string,
  decimalMark: DecimalMark = '.',
): Promise<RateFileContent> {
  const numberColumns = new Map<number, NumberColumn>();
  const numbers = (index: number) => {
    let column = numberColumns.get(index);
    if (!column) numberColumns.set(index, (column = new NumberColumn(decimalMark, { thousands: false })));
    return column;
  };
  const errors: UploadRowError[] = [];
  const addError = (row: number | null, column: string | null, message: string) => {
    if (errors.length < MAX_ERRORS) errors.push({ row, column, message });
  };
  let header: string[] | null = null;
  let keys: string[] = [];
  let count = 0;
  const rates: BaseRate[] = [];
  const quotes: EcbQuote[] = [];
  const seen = new Map<string, number>();
  for await (const { row, cells } of rows) {
    if (cells.every(isBlank)) continue;
    if (!header) {
      header = cells.map(cellText);
      keys = header.map(headerKey);
      continue;
    }
    count += 1;
    if (!keys.includes('currency')) {
      quotes.push(...ecbCsvRow(header, row, cells, addError, numbers));
      continue;
    }
    const at = (name: string) => cells[keys.indexOf(name)] ?? null;
    const rate = readBaseRate(
      { date: at('date'), currency: at('currency'), rate: at('rate') },
      base,
      (column, m) => addError(row, header![keys.indexOf(column)] ?? column, m),
      numbers(keys.indexOf('rate')),
    );
    if (!rate) continue;
    const first = seen.get(`${rate.currency} ${rate.day}`);
    if (first) addError(row, null, `repeats row ${first} (same date ${rate.day} and currency ${rate.currency})`);
    else seen.set(`${rate.currency} ${rate.day}`, row);
    rates.push(rate);
  }
  if (!header) addError(null, null, 'the file is empty');
  else if (count === 0) addError(null, null, 'the file has a header row but no data rows');
  return { input: keys.includes('currency') ? { kind: 'base', rates } : { kind: 'ecb', quotes }, rows: count, errors };
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** ECB days: `2024-06-28` (history files) or `28 June 2024` (the daily CSV); from 1999 on. */
export function parseEcbDay(text: string): string | null {
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  let parts: [number, number, number] | null = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
  match = parts ? null : /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(text.trim());
  if (match) {
    const month = MONTHS.indexOf(match[2]!.toLowerCase()) + 1;
    parts = month ? [Number(match[3]), month, Number(match[1])] : null;
  }
  if (!parts) return null;
  const date = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
  if (date.getUTCMonth() !== parts[1] - 1 || date.getUTCDate() !== parts[2] || parts[0] < 1999) return null;
  return date.toISOString().slice(0, 10);
}

/** One row of the ECB's wide CSV (`Date,USD,JPY,…`): `N/A` or an empty cell is a currency without a rate that day. */
function ecbCsvRow(
  header: string[],
  row: number,
  cells: Cell[],
  addError: (row: number, column: string | null, message: string) => void,
  numbers: (index: number) => NumberColumn,
): EcbQuote[] {
  const day = parseEcbDay(cellText(cells[0] ?? null));
  if (!day) {
    addError(row, header[0] ?? 'Date', `"${cellText(cells[0] ?? null)}" is not a date like 2024-06-28`);
    return [];
  }
  const quotes: EcbQuote[] = [];
  header.forEach((name, index) => {
    const cell = cells[index] ?? null;
    if (index === 0 || !name || isBlank(cell) || /^n\/?a$/i.test(cellText(cell))) return;
    const currency = parseCurrencyCode(name);
    const rate = parseRate(cell, numbers(index));
    if (!currency.ok) addError(row, name, currency.message);
    else if (!rate.ok) addError(row, name, rate.message);
    else quotes.push({ day, currency: currency.value, perEur: rate.value });
  });
  return quotes;
}

/**
 * The ECB's XML (`eurofxref-daily.xml`, `-hist-90d.xml`, `-hist.xml`): `<Cube time='…'>` per day holding
 * `<Cube currency='…' rate='…'/>`, attributes in single or double quotes. A file cut short (no closing
 * envelope) is refused whole, so that a broken download never stores part of a history.
 */
export function readEcbXml(text: string): RateFileContent {
  const errors: UploadRowError[] = [];
  const quotes: EcbQuote[] = [];
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  const stack: boolean[] = [];
  let day: string | null = null;
  let days = 0;
  const tags = /<\s*(\/)?\s*(?:[\w.-]+:)?Cube\b([^>]*?)(\/)?\s*>/g;
  for (let tag = tags.exec(text); tag; tag = tags.exec(text)) {
    const [, closing, attributeText = '', selfClosing] = tag;
    if (closing) {
      if (stack.pop()) day = null;
      continue;
    }
    const attributes = new Map<string, string>();
    for (const [, name, double, single] of attributeText.matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
      attributes.set(name!, (double ?? single ?? '').trim());
    const time = attributes.get('time');
    if (time !== undefined) {
      day = parseEcbDay(time);
      days += 1;
      if (!day && errors.length < MAX_ERRORS)
        errors.push({ row: lineOf(tag.index), column: 'time', message: `"${time}" is not a date like 2024-06-28` });
    } else if (attributes.has('currency')) {
      const currency = parseCurrencyCode(attributes.get('currency') ?? '');
      const rate = parseRate(attributes.get('rate') ?? '');
      const problem = !day
        ? 'is outside a <Cube time="…"> day'
        : !currency.ok
          ? currency.message
          : !rate.ok
            ? rate.message
            : null;
      if (problem && errors.length < MAX_ERRORS)
        errors.push({ row: lineOf(tag.index), column: currency.ok && day ? 'rate' : 'currency', message: problem });
      else if (day && currency.ok && rate.ok) quotes.push({ day, currency: currency.value, perEur: rate.value });
    }
    if (!selfClosing) stack.push(time !== undefined);
  }
  if (!/<\/\s*(?:[\w.-]+:)?Envelope\s*>\s*$/.test(text))
    errors.push({
      row: null,
      column: null,
      message: 'the ECB file ends early (no closing </gesmes:Envelope>): nothing was stored',
    });
  else if (days === 0)
    errors.push({ row: null, column: null, message: 'the file has no <Cube time="…"> day of ECB rates' });
  return { input: { kind: 'ecb', quotes }, rows: days, errors };
}
