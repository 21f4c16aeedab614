import {
  ALERT_KIND_NAMES,
  AlertFiredEvent,
  MessageFormats,
  OrderEvent,
  orderMessage,
  ordersFoldMessage,
  PushMessage,
  QuietHours,
} from '@mt/contracts';
import type { FoldState } from './push.repository';

/**
 * What a device shows, in the words of the dashboard's toasts (libs/contracts order-messages.ts) and in
 * English: a phone's notification is written before anyone knows the phone's locale.
 */
const LOCALE = 'en-US';
const moneyFormats = new Map<string, Intl.NumberFormat>();
const countries = new Intl.DisplayNames([LOCALE], { type: 'region' });

export const SERVER_FORMATS: MessageFormats = {
  money(amount, currency) {
    let format = moneyFormats.get(currency);
    if (!format) {
      try {
        format = new Intl.NumberFormat(LOCALE, { style: 'currency', currency, minimumFractionDigits: 2 });
      } catch {
        return `${amount.toFixed(2)} ${currency}`;
      }
      moneyFormats.set(currency, format);
    }
    return format.format(amount);
  },
  country(code) {
    try {
      return countries.of(code) ?? code;
    } catch {
      return code;
    }
  },
};

/** One tag per kind: a newer notification of the kind replaces the older one on the device. */
export const ORDERS_TAG = 'orders';
export const alertTag = (alert: AlertFiredEvent) => `alert-${alert.kind}`;

const ICON = '/icons/icon-192.png';
const BADGE = '/icons/badge-96.png';

export function pushMessage(
  title: string,
  tag: string,
  url: string,
  options: { silent: boolean; at: Date },
): PushMessage {
  return {
    notification: {
      title,
      tag,
      icon: ICON,
      badge: BADGE,
      silent: options.silent,
      timestamp: options.at.getTime(),
      data: { onActionClick: { default: { operation: 'navigateLastFocusedOrOpen', url } } },
    },
  };
}

/** The one order in words, or the fold it joined ("3 new orders · $212.40"); amounts left out when hidden. */
export function ordersTitle(order: OrderEvent, fold: FoldState, hideAmounts: boolean): string {
  if (fold.orders === 1) return orderMessage(order, SERVER_FORMATS, { hideAmounts });
  const total =
    hideAmounts || fold.total === null || fold.currency === null
      ? null
      : { amount: Number(fold.total), currency: fold.currency };
  return ordersFoldMessage(fold.orders, total, SERVER_FORMATS);
}

/** An alert's subject carries amounts; hidden, it is named by its kind, as presenter mode does in the dashboard. */
export function alertTitle(alert: AlertFiredEvent, hideAmounts: boolean): string {
  return hideAmounts ? ALERT_KIND_NAMES[alert.kind] : alert.subject;
}

/** Whether `at` falls in the quiet hours, on the device's clock; [from, to), wrapping midnight when to < from. */
export function inQuietHours(quiet: QuietHours | null, at: Date): boolean {
  if (!quiet) return false;
  const local = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: quiet.timeZone,
  }).format(at);
  return quiet.from < quiet.to ? local >= quiet.from && local < quiet.to : local >= quiet.from || local < quiet.to;
}
