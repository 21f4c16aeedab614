import { Micros, toCents } from './decimal';
import { NormalizedLine } from './normalized-order';

/**
 * A line with what the platform gave; amounts already exact. Refund fields default to nothing refunded,
 * identifiers to none.
 */
export function orderLine(
  line: Pick<NormalizedLine, 'title' | 'quantity'> & {
    externalId?: string | null;
    variant?: string | null;
    sku?: string | null;
    gtin?: string | null;
    productId?: string | null;
    unitPrice: Micros | null;
    lineTotal: Micros | null;
    refundedAmount?: Micros;
    refundedQuantity?: number;
  },
): NormalizedLine {
  return {
    externalId: line.externalId ?? null,
    title: line.title,
    variant: line.variant || null,
    sku: line.sku || null,
    gtin: line.gtin ?? gtinOf(line.sku ?? null),
    productId: line.productId ?? null,
    quantity: line.quantity,
    unitPrice: line.unitPrice === null ? null : toCents(line.unitPrice),
    lineTotal: line.lineTotal === null ? null : toCents(line.lineTotal),
    refundedAmount: toCents(line.refundedAmount ?? 0n),
    refundedQuantity: line.refundedQuantity ?? 0,
  };
}

/**
 * The first candidate that is a valid GTIN-13 (ISBN-13, EAN) or ISBN-10 (then as its ISBN-13), with
 * hyphens and spaces ignored. Publishers often use the ISBN as SKU, and a book's ASIN is its ISBN-10;
 * the check digit keeps other codes out.
 */
export function gtinOf(...candidates: Array<string | null | undefined>): string | null {
  for (const candidate of candidates) {
    const code = (candidate ?? '').replace(/[\s-]/g, '').toUpperCase();
    if (/^\d{13}$/.test(code) && ean13CheckDigit(code.slice(0, 12)) === code[12]) return code;
    if (/^\d{9}[\dX]$/.test(code) && isbn10Valid(code)) {
      const body = `978${code.slice(0, 9)}`;
      return body + ean13CheckDigit(body);
    }
  }
  return null;
}

function ean13CheckDigit(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

function isbn10Valid(code: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (code[i] === 'X' ? 10 : Number(code[i])) * (10 - i);
  return sum % 11 === 0;
}
