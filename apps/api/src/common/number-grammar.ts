/**
 * The one number grammar of every file and platform answer (SPEC §4, STYLE "one number grammar"): order
 * exports, Spotify reports and rate files all read `1,234.56`, `1.234,56`, `12,99`, `1 234,56`, `(12.00)`,
 * `-12`, `$48.00`, `12,99 €`, `EUR 12.99` through here. Values come back as plain decimal strings
 * (`-1234.56`), so money is never a float.
 *
 * Most spellings say which mark is the decimal one. `1,234` and `1.234` do not: a thousands separator
 * or a decimal mark with three decimals. Those are read with what the context knows — the column's other
 * values, else the file's delimiter (`;` is how Excel saves where the decimal mark is a comma) — and
 * refused where nothing tells (rates, where a factor of 1,000 must never be guessed). A leading zero
 * (`0,054`) or more than three digits before the mark can never be a thousands group.
 */

export type DecimalMark = '.' | ',';

export type NumberParsed = { ok: true; value: string } | { ok: false; message: string };

type Scan =
  | { kind: 'number'; value: string; proves: DecimalMark | null }
  | { kind: 'ambiguous'; asPoint: string; asComma: string }
  | { kind: 'error' };

const INTEGER = /^-?\d+$/;
const POINT_DECIMAL = /^-?\d+\.\d+$/;
const COULD_GROUP = /^-?[1-9]\d{0,2}[.,]\d{3}$/;
const CURRENCY_PREFIX = /^(?:[A-Z]{3}\s*|[A-Z]{1,2}\s?[$€£¥]\s*|[$€£¥₹₩₺₽]\s*|kr\.?\s*|zł\s*)/i;
const CURRENCY_SUFFIX = /\s*(?:[A-Z]{3}|[$€£¥₹₩₺₽]|kr\.?|zł)$/i;
const GROUP_SPACE = /['\u00a0\u202f\u2009 ]/;

/** What a written number is, before any context. */
function scan(text: string): Scan {
  let body = text.trim();
  // The spellings of nearly every cell, read without the general path below.
  if (INTEGER.test(body)) return { kind: 'number', value: canonical(body), proves: null };
  if (POINT_DECIMAL.test(body) && !COULD_GROUP.test(body))
    return { kind: 'number', value: canonical(body), proves: '.' };
  let negative = false;
  const accounting = /^\((.*)\)$/.exec(body);
  if (accounting) {
    negative = true;
    body = accounting[1]!.trim();
  }
  const sign = () => {
    const match = /^([-+\u2212])\s*/.exec(body);
    if (match) {
      if (match[1] !== '+') negative = !negative;
      body = body.slice(match[0].length);
    }
  };
  sign();
  const withoutCurrency = body.replace(CURRENCY_PREFIX, '');
  if (withoutCurrency !== body) {
    body = withoutCurrency;
    sign();
  }
  body = body.replace(CURRENCY_SUFFIX, '');
  if (/\d-$/.test(body)) {
    negative = !negative;
    body = body.slice(0, -1);
  }
  if (!/^\d|^[.,]\d/.test(body) || !/^[\d.,'\u00a0\u202f\u2009 ]+$/.test(body)) return { kind: 'error' };
  const number = (int: string, frac: string, proves: DecimalMark | null): Scan => {
    const value = canonical(`${negative ? '-' : ''}${int || '0'}${frac ? `.${frac}` : ''}`);
    return { kind: 'number', value, proves };
  };

  const spaced = GROUP_SPACE.test(body);
  const points = count(body, '.');
  const commas = count(body, ',');
  if (points && commas) {
    const decimal: DecimalMark = body.lastIndexOf('.') > body.lastIndexOf(',') ? '.' : ',';
    const group = decimal === '.' ? ',' : '.';
    if (count(body, decimal) > 1 || spaced) return { kind: 'error' };
    const [int, frac] = body.split(decimal) as [string, string];
    const digits = grouped(int, group);
    return digits !== null && /^\d+$/.test(frac) ? number(digits, frac, decimal) : { kind: 'error' };
  }
  if (!points && !commas) {
    const digits = spaced ? grouped(body, null) : body;
    return digits !== null && /^\d+$/.test(digits) ? number(digits, '', null) : { kind: 'error' };
  }
  const mark: DecimalMark = points ? '.' : ',';
  const other: DecimalMark = mark === '.' ? ',' : '.';
  if (count(body, mark) > 1) {
    // Only a thousands separator repeats: `1,234,567` (so the decimal mark is the other one).
    const digits = spaced ? null : grouped(body, mark);
    return digits !== null ? number(digits, '', other) : { kind: 'error' };
  }
  const [intText, frac] = body.split(mark) as [string, string];
  const int = spaced ? grouped(intText, null) : intText;
  if (int === null || !/^\d*$/.test(int) || !/^\d*$/.test(frac)) return { kind: 'error' };
  if (frac === '') return number(int, '', null);
  const couldGroup = !spaced && frac.length === 3 && /^[1-9]\d{0,2}$/.test(int);
  if (!couldGroup) return number(int, frac, mark);
  const asDecimal = canonical(`${negative ? '-' : ''}${int}.${frac}`);
  const asThousands = canonical(`${negative ? '-' : ''}${int}${frac}`);
  return mark === '.'
    ? { kind: 'ambiguous', asPoint: asDecimal, asComma: asThousands }
    : { kind: 'ambiguous', asPoint: asThousands, asComma: asDecimal };
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

/** `1,234,567` → `1234567` when every group after the first has three digits; null otherwise. */
function grouped(text: string, separator: DecimalMark | null): string | null {
  const parts = separator ? text.split(separator) : text.split(GROUP_SPACE);
  if (parts.length === 1) return /^\d+$/.test(text) ? text : null;
  if (!/^\d{1,3}$/.test(parts[0]!) || parts.slice(1).some((part) => !/^\d{3}$/.test(part))) return null;
  return parts.join('');
}

/** Leading zeros off, `-0` as `0`. */
function canonical(value: string): string {
  const negative = value.startsWith('-');
  const unsigned = (negative ? value.slice(1) : value).replace(/^0+(?=\d)/, '');
  return negative && /[1-9]/.test(unsigned) ? `-${unsigned}` : unsigned;
}

function notANumber(text: string): NumberParsed {
  return { ok: false, message: `"${text.trim()}" is not a number` };
}

function ambiguous(text: string, scanned: { asPoint: string; asComma: string }): NumberParsed {
  return {
    ok: false,
    message: `"${text.trim()}" could be ${scanned.asPoint} or ${scanned.asComma}: write it without a thousands separator, or with more decimals`,
  };
}

/**
 * One value on its own. `assumed` is how `1,234`/`1.234` is read: `'.'` (decimal point, so `1,234` is
 * 1234 — the platforms' own answers and English exports), `','`, or null to refuse it.
 */
export function parseNumber(
  text: string,
  assumed: DecimalMark | null = '.',
  options: GrammarOptions = {},
): NumberParsed {
  const scanned = scan(text);
  if (scanned.kind === 'error') return notANumber(text);
  if (scanned.kind === 'number') return { ok: true, value: scanned.value };
  return resolve(text, scanned, assumed, options);
}

export interface GrammarOptions {
  /**
   * false: an ambiguous value is read only as a decimal (`1,234` = 1.234 where commas are decimal marks),
   * never as thousands, and refused otherwise. For rates, where the thousands reading is never meant.
   */
  thousands?: boolean;
}

function resolve(
  text: string,
  scanned: { asPoint: string; asComma: string },
  mark: DecimalMark | null,
  options: GrammarOptions,
): NumberParsed {
  if (!mark) return ambiguous(text, scanned);
  const written: DecimalMark = text.includes(',') ? ',' : '.';
  if (options.thousands === false && written !== mark) return ambiguous(text, scanned);
  return { ok: true, value: mark === '.' ? scanned.asPoint : scanned.asComma };
}

/**
 * The numbers of one column of one file. Values that show their decimal mark are read as written (an
 * export may mix `18.00` and `20,00` rows of different currencies) and are the column's evidence; an
 * ambiguous `1,234` is read with the one mark the column shows, with the file's assumption while it shows
 * none, and refused when it shows both. A value that contradicts how an earlier ambiguous one was read
 * is an error on its row, rather than a silent factor of 1,000 above it.
 */
export class NumberColumn {
  private readonly seen = new Map<DecimalMark, string>();
  private guessed: { mark: DecimalMark; text: string } | null = null;

  constructor(
    private readonly assumed: DecimalMark | null,
    private readonly options: GrammarOptions = {},
  ) {}

  /** Evidence from a value ahead of reading it (files read whole look at the whole column first). */
  learn(text: string): void {
    if (this.seen.size === 2 || !text) return;
    const scanned = scan(text);
    if (scanned.kind === 'number' && scanned.proves && !this.seen.has(scanned.proves))
      this.seen.set(scanned.proves, text.trim());
  }

  read(text: string): NumberParsed {
    const scanned = scan(text);
    if (scanned.kind === 'error') return notANumber(text);
    if (scanned.kind === 'number') {
      const proves = scanned.proves;
      if (!proves) return { ok: true, value: scanned.value };
      if (this.guessed && this.guessed.mark !== proves) {
        return {
          ok: false,
          message: `"${text.trim()}" has a decimal ${markName(proves)}, so "${this.guessed.text}" above it in the same column was read wrongly with a decimal ${markName(this.guessed.mark)}: write that number without a thousands separator`,
        };
      }
      if (!this.seen.has(proves)) this.seen.set(proves, text.trim());
      return { ok: true, value: scanned.value };
    }
    if (this.seen.size === 2) {
      const [point, comma] = [this.seen.get('.'), this.seen.get(',')];
      return {
        ok: false,
        message: `"${text.trim()}" could be ${scanned.asPoint} or ${scanned.asComma}: its column has decimal points ("${point}") and decimal commas ("${comma}"); write it without a thousands separator`,
      };
    }
    const shown = [...this.seen.keys()][0];
    const mark = shown ?? this.assumed;
    const parsed = resolve(text, scanned, mark, this.options);
    if (parsed.ok && mark && !shown) this.guessed ??= { mark, text: text.trim() };
    return parsed;
  }
}

function markName(mark: DecimalMark): string {
  return mark === '.' ? 'point' : 'comma';
}

/** How a file's ambiguous numbers are read before its values say: `;`-delimited files come from decimal-comma locales. */
export function assumedDecimalMark(delimiter: string | null): DecimalMark {
  return delimiter === ';' ? ',' : '.';
}
