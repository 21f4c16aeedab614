/**
 * Exact decimal arithmetic for money in parsers, on bigint micro-units. Parsers add line prices or divide
 * Etsy's `amount / divisor`; doing that with JS numbers would drift, so nothing here touches floats.
 */
import { DecimalMark, parseNumber } from '../common/number-grammar';

const SCALE = 1_000_000n;
const SCALE_DIGITS = 6;

export type Micros = bigint;

/**
 * An amount as the number grammar reads it ("12.50", "-3", "1,234.56", "$ 48.00", "€12,99", "1.234,56");
 * an ambiguous "1,234" is 1234, as the platforms' answers write decimals with a point.
 */
export function parseMoney(text: string, assumed: DecimalMark | null = '.'): Micros {
  const parsed = parseNumber(text, assumed);
  if (!parsed.ok) throw new Error(`"${text}" is not an amount`);
  return microsOf(parsed.value);
}

/** A canonical decimal string (`-1234.5`) in micro-units, rounded half away from zero past six places. */
export function microsOf(value: string): Micros {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  let micros = BigInt(whole || '0') * SCALE + BigInt((fraction + '0'.repeat(SCALE_DIGITS)).slice(0, SCALE_DIGITS));
  if (fraction.length > SCALE_DIGITS && Number(fraction[SCALE_DIGITS]) >= 5) micros += 1n;
  return negative ? -micros : micros;
}

export function isMoney(text: string | null | undefined): boolean {
  if (text === null || text === undefined || text.trim() === '') return false;
  try {
    parseMoney(text);
    return true;
  } catch {
    return false;
  }
}

/** `amount / divisor` exactly (Etsy money objects). */
export function fromFraction(amount: number | string | bigint, divisor: number | string | bigint): Micros {
  const d = BigInt(divisor);
  if (d <= 0n) throw new Error(`divisor must be positive, got ${divisor}`);
  return divideRounded(BigInt(amount) * SCALE, d);
}

export function sum(values: Iterable<Micros>): Micros {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

export function abs(value: Micros): Micros {
  return value < 0n ? -value : value;
}

/** A line amount divided by its quantity (unit price from a line total); the amount itself for quantity 0. */
export function perUnit(value: Micros, quantity: number): Micros {
  return quantity > 0 ? divideRounded(value, BigInt(quantity)) : value;
}

/** Decimal string rounded half away from zero to cents, as stored in `numeric(14, 2)`. */
export function toCents(value: Micros): string {
  const cents = divideRounded(value, SCALE / 100n);
  const negative = cents < 0n;
  const digits = (negative ? -cents : cents).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Normalises a decimal string to two places ("86" → "86.00"). */
export function money(text: string): string {
  return toCents(parseMoney(text));
}

function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (n + d / 2n) / d;
  return negative ? -quotient : quotient;
}
