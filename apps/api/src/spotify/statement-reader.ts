import type { UploadField, UploadRowError } from '@mt/contracts';
import { microsOf, sum, toCents } from '../orders/decimal';
import {
  Cell,
  cellText,
  isBlank,
  parseCountry,
  parseDecimal,
  parseIsbn,
  Parsed,
  titleKey,
} from '../upload/cell-values';
import { AliasLookup, FIELD_LABELS, headerKey, HeaderMapping, mapHeaderRow } from '../upload/header-aliases';
import { SourceRow } from '../upload/row-sources';

/**
 * The mapper of royalty statements in the one intake (FORMATS.md §6.1): the Findaway / INaudio "Digital
 * Royalty" XLSX. The Summary sheet holds the period, invoice, due date, net amount and the payment per
 * channel; each channel has a sheet of its own whose columns are found through the header alias table.
 * A statement is all or nothing: its lines must add up to each channel's payment and to the net amount.
 */

export const STATEMENT_LABEL = 'Digital Royalty statement';
export const SUMMARY_SHEET = 'Summary';

export interface StatementLine {
  channel: string;
  sheetRow: number;
  title: string;
  isbn: string;
  titleKey: string;
  salesType: string;
  partner: string;
  /** Spotify lines (pool and à-la-carte) are Spotify money; the other partners' are other audiobook income. */
  isSpotify: boolean;
  isPool: boolean;
  territory: string | null;
  royaltyRate: string | null;
  displayNumber: string | null;
  publisher: string | null;
  promotion: string | null;
  currency: string | null;
  listPrice: string | null;
  priceType: string | null;
  salesQty: string;
  grossRevenue: string | null;
  royaltyEarned: string | null;
  distributionFee: string | null;
  exchangeRate: string | null;
  payableCurrency: string;
  royaltyPayable: string;
}

export interface StatementChannel {
  channel: string;
  currency: string;
  amount: string;
}

export interface ReadStatement {
  issuer: string;
  payee: string;
  periodStart: string;
  periodEnd: string;
  /** First day of the statement's month. */
  month: string;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  currency: string;
  netAmount: string;
  channels: StatementChannel[];
  lines: StatementLine[];
  sheets: string[];
}

export type StatementReading = { ok: true; statement: ReadStatement } | { ok: false; errors: UploadRowError[] };

/** Columns a channel sheet cannot do without. */
const REQUIRED_COLUMNS: UploadField[] = ['title', 'revenueModel', 'partner', 'netRoyalty'];

/** The Summary's labels (column A), by header key. */
const SUMMARY_LABELS = {
  payee: 'payee name',
  period: 'period',
  invoiceNumber: 'invoice number',
  invoiceDate: 'invoice date',
  dueDate: 'due date',
  netAmount: 'net amount',
  channels: 'payments by channel',
} as const;

/** Whether a file sample looks like a statement: a Summary with a net amount, or a channel sheet's header. */
export function looksLikeStatement(rows: readonly SourceRow[], aliases: AliasLookup): boolean {
  const summaryLabels = new Set(
    rows.filter((row) => isSummary(row.sheet)).map((row) => headerKey(cellText(row.cells[0] ?? null))),
  );
  if (summaryLabels.has(SUMMARY_LABELS.netAmount) && summaryLabels.has(SUMMARY_LABELS.period)) return true;
  return rows.some((row) => isChannelHeader(mapHeaderRow(row.cells.map(cellText), aliases)));
}

/** Reads a whole statement (every sheet's rows) and checks that it adds up. */
export function readStatement(rows: readonly SourceRow[], aliases: AliasLookup): StatementReading {
  const fail = (message: string, sheet?: string): StatementReading => ({
    ok: false,
    errors: [{ row: null, column: null, message, ...(sheet ? { sheet } : {}) }],
  });
  const sheets = [...new Set(rows.map((row) => row.sheet))];
  const summaryRows = rows.filter((row) => isSummary(row.sheet));
  if (!summaryRows.length) {
    return fail(
      `this is a royalty statement without its ${SUMMARY_SHEET} sheet (sheets: ${sheets.join(', ')}): its period, due date and net amount are only there, so nothing was stored`,
    );
  }
  const summary = readSummary(summaryRows);
  if (!summary.ok) return fail(summary.message, summaryRows[0]!.sheet);
  const errors: UploadRowError[] = [];
  const lines: StatementLine[] = [];
  for (const channel of summary.value.channels) {
    const sheet = sheets.find((name) => headerKey(name) === headerKey(channel.channel));
    if (!sheet) {
      errors.push({
        row: null,
        column: null,
        message: `the ${SUMMARY_SHEET} lists the channel "${channel.channel}", but the workbook has no sheet of that name (its sheets: ${sheets.join(', ')}); nothing was stored`,
      });
      continue;
    }
    lines.push(...readChannelSheet(rows, sheet, channel, summary.value.currency, aliases, errors));
  }
  if (errors.length) return { ok: false, errors };
  if (!lines.length) return fail('the statement has no lines in its channel sheets; nothing was stored');

  const currency = summary.value.currency;
  for (const channel of summary.value.channels) {
    const total = sum(lines.filter((line) => line.channel === channel.channel).map((l) => microsOf(l.royaltyPayable)));
    if (total !== microsOf(channel.amount)) {
      errors.push({
        row: null,
        column: 'Royalty Payable',
        sheet: channel.channel,
        message: `the lines of sheet "${channel.channel}" add up to ${amount(total, currency)}, but the ${SUMMARY_SHEET} gives ${amount(microsOf(channel.amount), currency)} for that channel; nothing was stored`,
      });
    }
  }
  const total = sum(lines.map((line) => microsOf(line.royaltyPayable)));
  if (total !== microsOf(summary.value.netAmount)) {
    errors.push({
      row: null,
      column: 'Royalty Payable',
      message: `the lines of all channel sheets add up to ${amount(total, currency)}, but the ${SUMMARY_SHEET}'s Net Amount is ${amount(microsOf(summary.value.netAmount), currency)}; nothing was stored`,
    });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, statement: { ...summary.value, issuer: 'findaway', lines, sheets } };
}

function isSummary(sheet: string): boolean {
  return headerKey(sheet) === headerKey(SUMMARY_SHEET);
}

function isChannelHeader(mapping: HeaderMapping): boolean {
  return REQUIRED_COLUMNS.every((field) => mapping[field]);
}

type Summary = Omit<ReadStatement, 'issuer' | 'lines' | 'sheets'>;

function readSummary(rows: readonly SourceRow[]): Parsed<Summary> {
  const values = new Map<string, Cell>();
  const channels: StatementChannel[] = [];
  let inChannels = false;
  let channelHeaderSeen = false;
  for (const row of rows) {
    const label = headerKey(cellText(row.cells[0] ?? null));
    if (inChannels) {
      if (!label) {
        if (channels.length) inChannels = false;
        continue;
      }
      if (!channelHeaderSeen && label === 'channel') {
        channelHeaderSeen = true;
        continue;
      }
      const money = parseDecimal(row.cells[2] ?? null);
      if (!money.ok)
        return {
          ok: false,
          message: `${SUMMARY_SHEET} row ${row.row}: the channel's Royalty Payment ${money.message}`,
        };
      channels.push({
        channel: cellText(row.cells[0] ?? null),
        currency: cellText(row.cells[1] ?? null).toUpperCase(),
        amount: money.value,
      });
      continue;
    }
    if (label === SUMMARY_LABELS.channels) inChannels = true;
    else if (label && !values.has(label)) values.set(label, row.cells[1] ?? null);
  }
  const missing = (['period', 'invoiceDate', 'dueDate', 'netAmount'] as const).filter(
    (key) => !values.has(SUMMARY_LABELS[key]) || isBlank(values.get(SUMMARY_LABELS[key])!),
  );
  if (missing.length) {
    const names = { period: 'Period:', invoiceDate: 'Invoice Date:', dueDate: 'Due Date:', netAmount: 'Net Amount:' };
    return {
      ok: false,
      message: `the ${SUMMARY_SHEET} sheet has no ${missing.map((key) => `"${names[key]}"`).join(', ')} in column A with its value in column B; nothing was stored`,
    };
  }
  if (!channels.length)
    return { ok: false, message: `the ${SUMMARY_SHEET} sheet has no "Payments by Channel:" table; nothing was stored` };
  const period = parsePeriod(values.get(SUMMARY_LABELS.period)!);
  if (!period.ok) return { ok: false, message: `${SUMMARY_SHEET}: Period ${period.message}` };
  const invoiceDate = parseStatementDate(values.get(SUMMARY_LABELS.invoiceDate)!);
  if (!invoiceDate.ok) return { ok: false, message: `${SUMMARY_SHEET}: Invoice Date ${invoiceDate.message}` };
  const dueDate = parseStatementDate(values.get(SUMMARY_LABELS.dueDate)!);
  if (!dueDate.ok) return { ok: false, message: `${SUMMARY_SHEET}: Due Date ${dueDate.message}` };
  const net = parseAmountWithCurrency(values.get(SUMMARY_LABELS.netAmount)!, channels[0]!.currency);
  if (!net.ok) return { ok: false, message: `${SUMMARY_SHEET}: Net Amount ${net.message}` };
  const foreign = channels.find((channel) => channel.currency && channel.currency !== net.value.currency);
  if (foreign) {
    return {
      ok: false,
      message: `${SUMMARY_SHEET}: the channel "${foreign.channel}" is paid in ${foreign.currency}, the Net Amount in ${net.value.currency}; a statement is read in one currency`,
    };
  }
  return {
    ok: true,
    value: {
      payee: cellText(values.get(SUMMARY_LABELS.payee) ?? null),
      periodStart: period.value.start,
      periodEnd: period.value.end,
      month: `${period.value.start.slice(0, 8)}01`,
      invoiceNumber: cellText(values.get(SUMMARY_LABELS.invoiceNumber) ?? null),
      invoiceDate: invoiceDate.value,
      dueDate: dueDate.value,
      currency: net.value.currency,
      netAmount: net.value.amount,
      channels: channels.map((channel) => ({ ...channel, currency: channel.currency || net.value.currency })),
    },
  };
}

function readChannelSheet(
  rows: readonly SourceRow[],
  sheet: string,
  channel: StatementChannel,
  currency: string,
  aliases: AliasLookup,
  errors: UploadRowError[],
): StatementLine[] {
  const sheetRows = rows.filter((row) => row.sheet === sheet && !row.cells.every(isBlank));
  const header = sheetRows[0];
  const mapping = header ? mapHeaderRow(header.cells.map(cellText), aliases) : {};
  const missing = REQUIRED_COLUMNS.filter((field) => !mapping[field]);
  if (!header || missing.length) {
    errors.push({
      row: header?.row ?? null,
      column: null,
      sheet,
      message: `sheet "${sheet}" has no ${missing.map((field) => `"${FIELD_LABELS[field]}"`).join(', ')} column in its first row (add the header's name as an alias in Settings if it was renamed)`,
    });
    return [];
  }
  const lines: StatementLine[] = [];
  for (const row of sheetRows.slice(1)) {
    const cell = (field: UploadField): Cell => {
      const column = mapping[field];
      return column ? (row.cells[column.index] ?? null) : null;
    };
    const text = (field: UploadField): string | null => cellText(cell(field)) || null;
    const problem = (field: UploadField, message: string) =>
      errors.push({ row: row.row, column: mapping[field]?.header ?? FIELD_LABELS[field], sheet, message });
    const title = text('title');
    if (!title) continue; // a totals row or a note under the table
    const decimal = (field: UploadField, required: boolean): string | null => {
      if (isBlank(cell(field))) {
        if (required) problem(field, 'is empty');
        return null;
      }
      const parsed = parseDecimal(cell(field));
      if (parsed.ok) return parsed.value;
      problem(field, parsed.message);
      return null;
    };
    const isbn = parseIsbn(cell('isbn'));
    if (!isbn.ok) problem('isbn', isbn.message);
    let territory: string | null = null;
    if (!isBlank(cell('country'))) {
      const country = parseCountry(cell('country'));
      if (country.ok) territory = country.value;
      else problem('country', country.message);
    }
    const payable = decimal('netRoyalty', true);
    const payableCurrency = (text('payableCurrency') ?? currency).toUpperCase();
    if (payableCurrency !== currency)
      problem('payableCurrency', `is ${payableCurrency}, but the statement is in ${currency}`);
    const salesType = text('revenueModel') ?? '';
    const partner = text('partner') ?? '';
    const line: StatementLine = {
      channel: channel.channel,
      sheetRow: row.row,
      title,
      isbn: isbn.ok ? isbn.value : '',
      titleKey: titleKey(title, isbn.ok ? isbn.value : ''),
      salesType,
      partner,
      isSpotify: headerKey(partner).includes('spotify'),
      isPool: headerKey(salesType).includes('pool'),
      territory,
      royaltyRate: text('royaltyRate'),
      displayNumber: text('displayNumber'),
      publisher: text('publisher'),
      promotion: text('promotion'),
      currency: text('currency')?.toUpperCase().slice(0, 3) ?? null,
      listPrice: decimal('listPrice', false),
      priceType: text('priceType'),
      salesQty: decimal('units', false) ?? '0',
      grossRevenue: decimal('grossRevenue', false),
      royaltyEarned: decimal('royaltyEarned', false),
      distributionFee: decimal('distributionFee', false),
      exchangeRate: decimal('exchangeRate', false),
      payableCurrency,
      royaltyPayable: payable ?? '0',
    };
    lines.push(line);
  }
  return lines;
}

/** `january` … `december`, as statements spell their periods. */
const MONTHS = Array.from({ length: 12 }, (_, month) =>
  new Date(Date.UTC(2000, month, 1)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' }).toLowerCase(),
);

/** `June 01, 2025 - June 30, 2025`, or two ISO dates. */
function parsePeriod(cell: Cell): Parsed<{ start: string; end: string }> {
  const text = cellText(cell);
  const parts = text.split(/\s+[-–]\s+|\s+to\s+/i);
  const [start, end] = parts.map((part) => parseStatementDate(part.trim()));
  if (parts.length !== 2 || !start?.ok || !end?.ok)
    return { ok: false, message: `"${text}" is not a period like "June 01, 2025 - June 30, 2025"` };
  if (end.value < start.value) return { ok: false, message: `"${text}" ends before it starts` };
  if (start.value.slice(0, 7) !== end.value.slice(0, 7))
    return { ok: false, message: `"${text}" spans more than one month; statements are monthly` };
  return { ok: true, value: { start: start.value, end: end.value } };
}

/** `07/01/2025` (US month first, as Findaway writes it), `June 01, 2025`, an ISO date or a date cell. */
function parseStatementDate(cell: Cell): Parsed<string> {
  if (cell instanceof Date) return isoDate(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate(), cell);
  const text = cellText(cell);
  let match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (match) return isoDate(Number(match[3]), Number(match[1]), Number(match[2]), text);
  match = /^([A-Za-z]+)\.? (\d{1,2}),? (\d{4})$/.exec(text);
  if (match) {
    const month = MONTHS.findIndex((name) => name.startsWith(match![1]!.toLowerCase()) && match![1]!.length >= 3);
    if (month >= 0) return isoDate(Number(match[3]), month + 1, Number(match[2]), text);
  }
  match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (match) return isoDate(Number(match[1]), Number(match[2]), Number(match[3]), text);
  return { ok: false, message: `"${text}" is not a date like 07/01/2025` };
}

function isoDate(year: number, month: number, day: number, original: Cell): Parsed<string> {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || year < 2000 || year > 2100)
    return { ok: false, message: `"${cellText(original)}" is not a date` };
  return { ok: true, value: date.toISOString().slice(0, 10) };
}

/** `12.28 USD`, `USD 12.28`, or a number (then in `fallbackCurrency`). */
function parseAmountWithCurrency(cell: Cell, fallbackCurrency: string): Parsed<{ amount: string; currency: string }> {
  const text = cellText(cell);
  const code = /\b([A-Z]{3})\b/.exec(text.toUpperCase())?.[1] ?? fallbackCurrency;
  if (!code) return { ok: false, message: `"${text}" names no currency` };
  const parsed = typeof cell === 'number' ? parseDecimal(cell) : parseDecimal(text.replace(/\b[A-Za-z]{3}\b/, ''));
  return parsed.ok ? { ok: true, value: { amount: parsed.value, currency: code } } : parsed;
}

/** Cents, or every decimal a sub-cent amount has: two different sums never read the same. */
function amount(micros: bigint, currency: string): string {
  if (micros % 10_000n === 0n) return `${toCents(micros)} ${currency}`;
  const negative = micros < 0n;
  const digits = (negative ? -micros : micros).toString().padStart(7, '0');
  const decimals = digits.slice(-6).replace(/0+$/, '');
  return `${negative ? '-' : ''}${digits.slice(0, -6)}.${decimals} ${currency}`;
}
