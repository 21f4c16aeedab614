import { Pipe, PipeTransform, inject } from '@angular/core';
import { PreferencesService } from './preferences.service';

/** Shown instead of an amount in presenter mode. */
export const MASKED_AMOUNT = '•••';

function browserLocale(): string | undefined {
  return globalThis.navigator?.language || undefined;
}

/**
 * Intl formatters, one per locale and options: building one costs a hundred times what using it does
 * (ICU looks up patterns and zones), and a page formats hundreds of figures and chart labels.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cachedFormatter<F extends Intl.NumberFormat | Intl.DateTimeFormat>(
  kind: string,
  options: object,
  create: (locale: string | undefined) => F,
): F {
  const locale = browserLocale();
  const key = `${kind}|${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key) as F | undefined;
  if (!format) {
    format = create(locale);
    formatters.set(key, format);
  }
  return format;
}

/**
 * Builds the formatters the first screen uses, in a task of their own before the app starts (main.ts),
 * so that the render that shows the hero's figures does not pay for them. The first Intl formatter of a
 * page costs ~30 ms (ICU loads its locale data for numbers, then for dates and zones): public/prefetch.js
 * has paid that while the code downloaded, when it ran.
 */
export function prepareFormatters(): void {
  formatNumber(1);
  shortDate('2026-01-01');
}

/** The browser's number format with `options` (throws for an unknown currency, as Intl does). */
export function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cachedFormatter('number', options, (locale) => new Intl.NumberFormat(locale, options));
}

/** The browser's date format with `options` (throws for an unknown zone, as Intl does). */
export function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cachedFormatter('date', options, (locale) => new Intl.DateTimeFormat(locale, options));
}

/** An amount in `currency`, in the browser's locale ("$1,234.50", "1.234,50 $"). */
export function formatMoney(amount: number, currency: string, digits = 2): string {
  const fraction = { minimumFractionDigits: digits, maximumFractionDigits: digits };
  try {
    return numberFormat({ style: 'currency', currency, ...fraction }).format(amount);
  } catch {
    // An unknown currency code must not break the page: show the code beside a plain number.
    return `${numberFormat(fraction).format(amount)} ${currency}`;
  }
}

export function formatNumber(value: number, maxDigits = 0): string {
  return numberFormat({ maximumFractionDigits: maxDigits }).format(value);
}

/** "+12.5%", "−3%", "—" when there is nothing to compare with. */
export function formatChange(change: number | null | undefined): string {
  if (change === null || change === undefined) return '—';
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  return `${sign}${formatNumber(Math.abs(change), 1)}%`;
}

export type Trend = 'up' | 'down' | 'flat' | 'none';

export function trendOf(change: number | null | undefined): Trend {
  if (change === null || change === undefined) return 'none';
  return change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
}

/**
 * `{{ amount | money: currency }}`. Impure on purpose: it reads the presenter-mode signal, so every
 * amount is masked the moment presenter mode is switched on.
 */
@Pipe({ name: 'money', pure: false })
export class MoneyPipe implements PipeTransform {
  private readonly preferences = inject(PreferencesService);

  transform(amount: number | null | undefined, currency: string | null | undefined, digits = 2): string {
    if (this.preferences.presenterMode()) return MASKED_AMOUNT;
    if (amount === null || amount === undefined) return '—';
    return formatMoney(amount, currency ?? 'USD', digits);
  }
}

/**
 * `{{ alert.subject | unlessPresenting: kindName }}`: free text that may carry amounts (an alert's
 * subject, a rule's name, where a rate came from) gives way to `replacement` in presenter mode, since
 * no pattern can tell every way of writing an amount. Impure for the same reason as `money`.
 */
@Pipe({ name: 'unlessPresenting', pure: false })
export class UnlessPresentingPipe implements PipeTransform {
  private readonly preferences = inject(PreferencesService);

  transform<T extends string | null>(text: string, replacement: T): string | T {
    return this.preferences.presenterMode() ? replacement : text;
  }
}

@Pipe({ name: 'num' })
export class NumberPipe implements PipeTransform {
  transform(value: number | null | undefined, maxDigits = 0): string {
    return value === null || value === undefined ? '—' : formatNumber(value, maxDigits);
  }
}

@Pipe({ name: 'change' })
export class ChangePipe implements PipeTransform {
  transform(change: number | null | undefined): string {
    return formatChange(change);
  }
}

/** "14:30" of an instant, in the business zone (not the browser's). */
export function clockTime(iso: string, timeZone: string): string {
  const clock = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
  try {
    return dateFormat({ ...clock, timeZone }).format(new Date(iso));
  } catch {
    return dateFormat(clock).format(new Date(iso));
  }
}

/** "2026-03-29" → "29 Mar" in the browser's locale; the date is a calendar day, so no zone shift. */
export function shortDate(isoDate: string): string {
  return dateFormat({ day: 'numeric', month: 'short', timeZone: 'UTC' }).format(calendarDay(isoDate));
}

/** "2026-03" → "Mar 2026" in the browser's locale. */
export function monthYear(month: string): string {
  return dateFormat({ month: 'short', year: 'numeric', timeZone: 'UTC' }).format(calendarDay(`${month}-01`));
}

/** A calendar day as the instant of its midnight in UTC, to be formatted in UTC. */
function calendarDay(isoDate: string): Date {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!));
}

/**
 * "GB" → "United Kingdom" in the browser's language; the code itself when the browser cannot say. Here
 * rather than with the countries card: the live toasts need it on the first screen, the card's table is
 * loaded later.
 */
export function countryName(code: string | null): string {
  if (!code) return 'Unknown';
  try {
    return regionNames().of(code) ?? code;
  } catch {
    return code;
  }
}

let regions: { locale: string | undefined; names: Intl.DisplayNames } | null = null;

function regionNames(): Intl.DisplayNames {
  const locale = browserLocale();
  if (!regions || regions.locale !== locale) {
    regions = { locale, names: new Intl.DisplayNames(locale ? [locale] : undefined, { type: 'region' }) };
  }
  return regions.names;
}

/** "5 min ago", "3 h ago", "2 d ago" relative to `now`. */
export function timeAgo(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  const minutes = Math.round((now - new Date(iso).getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

/** "2026-03-29" → "Sun 29 Mar" ("Sun 29 Mar 2025" with `year`); a calendar day, so no zone shift. */
export function dayWithWeekday(isoDate: string, year = false): string {
  return dateFormat({
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(year ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  }).format(calendarDay(isoDate));
}
