import type { OrderEvent } from './events';

/**
 * How a new order is put into words, the one rule behind the dashboard's toast and the phone's
 * notification: "New order #1047 · The Harbour Quill · $86.00 · Germany". Each side brings its own
 * number and country formatting (the browser's locale, the server's English); the parts, their order
 * and what is left out when unknown are decided here.
 */
export interface MessageFormats {
  money(amount: number, currency: string): string;
  /** An ISO 3166-1 alpha-2 code as a country name. */
  country(code: string): string;
}

export const MESSAGE_SEPARATOR = ' · ';

export type OrderMessagePartKind = 'heading' | 'title' | 'amount' | 'country';

export interface OrderMessagePart {
  kind: OrderMessagePartKind;
  text: string;
}

export type OrderMessageFields = Pick<OrderEvent, 'orderNumber' | 'titles' | 'amount' | 'currency' | 'country'>;

/** "New order #1047" ("New order" while the order carries no number); platforms number with or without "#". */
export function orderHeading(orderNumber: string | null): string {
  const number = orderNumber?.trim();
  if (!number) return 'New order';
  return `New order ${number.startsWith('#') ? number : `#${number}`}`;
}

/** Number, first catalogue title, amount, country; a part the order does not carry is left out, not shown empty. */
export function orderMessageParts(order: OrderMessageFields, formats: MessageFormats): OrderMessagePart[] {
  const parts: OrderMessagePart[] = [{ kind: 'heading', text: orderHeading(order.orderNumber) }];
  const title = order.titles[0];
  if (title) parts.push({ kind: 'title', text: title });
  parts.push({ kind: 'amount', text: formats.money(order.amount, order.currency) });
  if (order.country) parts.push({ kind: 'country', text: formats.country(order.country) });
  return parts;
}

/** The parts in one line; `hideAmounts` (presenter mode) leaves the amount out. */
export function orderMessage(
  order: OrderMessageFields,
  formats: MessageFormats,
  options: { hideAmounts?: boolean } = {},
): string {
  return orderMessageParts(order, formats)
    .filter((part) => !(options.hideAmounts && part.kind === 'amount'))
    .map((part) => part.text)
    .join(MESSAGE_SEPARATOR);
}

/**
 * Several orders in one notification: "3 new orders · $212.40". `total` is null when the amount is
 * hidden or the orders are in different currencies (their sum would mean nothing).
 */
export function ordersFoldMessage(
  count: number,
  total: { amount: number; currency: string } | null,
  formats: MessageFormats,
): string {
  const heading = count === 1 ? '1 new order' : `${count} new orders`;
  return total ? [heading, formats.money(total.amount, total.currency)].join(MESSAGE_SEPARATOR) : heading;
}
