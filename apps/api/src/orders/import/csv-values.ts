import { fromLocal } from '@mt/periods';
import { countryCodeOf } from '../../common/countries';

/** Cell readers for platform exports: timestamps in their many spellings, country names, currency symbols. */
export class CellError extends Error {}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/**
 * `2025-05-14 09:12:44 -0400` (Shopify), ISO with offset or Z (Amazon), and zone-less wall times
 * (`2025-05-16 13:42:07`, `05/16/25`, `May-06-25`) read in `zone`. A date alone means noon there, so
 * the business day is the exported day whatever the shop's own zone.
 */
export function parseTimestamp(text: string, zone: string): Date {
  const value = text.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}| UTC| GMT)?$/i.exec(
    value,
  );
  if (m) {
    const [, y, mo, d, h, mi, s = '00', zoneText] = m;
    if (zoneText) {
      const offset = /^[+-]/.test(zoneText) ? `${zoneText.slice(0, 3)}:${zoneText.slice(-2)}` : 'Z';
      return checked(new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`), value);
    }
    return fromLocal({ year: +y!, month: +mo!, day: +d!, hour: +h!, minute: +mi!, second: +s, millisecond: 0 }, zone);
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return localNoon(+m[1]!, +m[2]!, +m[3]!, zone);
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  if (m) {
    const year = m[3]!.length === 2 ? 2000 + +m[3]! : +m[3]!;
    if (m[4] === undefined) return localNoon(year, +m[1]!, +m[2]!, zone);
    return fromLocal(
      { year, month: +m[1]!, day: +m[2]!, hour: +m[4]!, minute: +m[5]!, second: +(m[6] ?? 0), millisecond: 0 },
      zone,
    );
  }
  m = /^([A-Za-z]{3})[- ](\d{1,2})[-, ]+(\d{2}|\d{4})$/.exec(value);
  if (m && MONTHS[m[1]!.toLowerCase()]) {
    const year = m[3]!.length === 2 ? 2000 + +m[3]! : +m[3]!;
    return localNoon(year, MONTHS[m[1]!.toLowerCase()]!, +m[2]!, zone);
  }
  const parsed = new Date(value);
  if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) && !Number.isNaN(parsed.getTime())) return parsed;
  throw new CellError(`"${value}" is not a date`);
}

function localNoon(year: number, month: number, day: number, zone: string): Date {
  if (month < 1 || month > 12 || day < 1 || day > 31) throw new CellError(`${year}-${month}-${day} is not a date`);
  return fromLocal({ year, month, day, hour: 12, minute: 0, second: 0, millisecond: 0 }, zone);
}

function checked(date: Date, text: string): Date {
  if (Number.isNaN(date.getTime())) throw new CellError(`"${text}" is not a date`);
  return date;
}

/** ISO alpha-2 from a code or an English country name ("United Kingdom" → GB); null when unknown or blank. */
export function countryFromCell(text: string | undefined): string | null {
  return countryCodeOf(text ?? '');
}

const SYMBOLS: Array<[RegExp, string]> = [
  [/^\s*AU\s?\$/i, 'AUD'],
  [/^\s*C\s?\$|^\s*CA\s?\$/i, 'CAD'],
  [/^\s*US\s?\$/i, 'USD'],
  [/^\s*£/, 'GBP'],
  [/^\s*€|€\s*$/, 'EUR'],
  [/^\s*\$/, 'USD'],
];

/** Currency told by a money cell's prefix (eBay exports "$48.00", "£12.99", "AU $20.00"). */
export function currencyFromSymbol(text: string | undefined): string | null {
  for (const [pattern, code] of SYMBOLS) if (pattern.test(text ?? '')) return code;
  return null;
}

/** Shopify exports all-digit postcodes as `'75008` so that spreadsheets keep the zeros. */
export function stripApostrophe(text: string | undefined): string {
  return (text ?? '').trim().replace(/^'/, '');
}
