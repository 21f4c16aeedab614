import { OrderParseError } from '../normalized-order';

/** Narrow accessors for platform JSON, so parsers stay free of `any` and say which field was wrong. */
export type Json = Record<string, unknown>;

export function asObject(value: unknown, field: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new OrderParseError(field, 'must be an object');
  }
  return value as Json;
}

export function optObject(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string or number as exact text (numbers bigger than 2^53 arrive as strings, see safe-json). */
export function idText(value: unknown, field: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  throw new OrderParseError(field, 'is missing or not an id');
}

export function optText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export function requiredText(value: unknown, field: string): string {
  const text = optText(value);
  if (text === null) throw new OrderParseError(field, 'is missing');
  return text;
}

export function instant(value: unknown, field: string, assumeUtc = false): Date {
  const text = requiredText(value, field);
  const withZone = assumeUtc && !/(Z|[+-]\d\d:?\d\d)$/i.test(text) ? `${text}Z` : text;
  const date = new Date(withZone);
  if (Number.isNaN(date.getTime())) throw new OrderParseError(field, `"${text}" is not a timestamp`);
  return date;
}

export function optInstant(value: unknown, field: string, assumeUtc = false): Date | null {
  return optText(value) === null ? null : instant(value, field, assumeUtc);
}

export function currencyCode(value: unknown, field: string): string {
  const text = requiredText(value, field).toUpperCase();
  if (!/^[A-Z]{3}$/.test(text)) throw new OrderParseError(field, `"${text}" is not a currency code`);
  return text;
}

export function countryCode(value: unknown): string | null {
  const text = optText(value)?.toUpperCase() ?? null;
  return text && /^[A-Z]{2}$/.test(text) ? text : null;
}

/** A line's quantity: a whole number ≥ 0 (number or numeric string); missing means 0. */
export function quantity(value: unknown, field: string): number {
  const text = optText(value);
  if (text === null) return 0;
  const count = Number(text);
  if (!Number.isSafeInteger(count) || count < 0) throw new OrderParseError(field, `"${text}" is not a quantity`);
  return count;
}

/** A list of `{name, value}` objects as "Name: Value, Name: Value" (Etsy variations, eBay variation aspects). */
export function namedValues(list: unknown, nameKey: string, valueKey: string): string {
  return asArray(list)
    .map((entry) => optObject(entry) ?? {})
    .map((entry) => [optText(entry[nameKey]), optText(entry[valueKey])].filter((part) => part).join(': '))
    .filter((text) => text !== '')
    .join(', ');
}
