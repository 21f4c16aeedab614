import { Pipe, PipeTransform, inject } from '@angular/core';
import { PreferencesService } from './preferences.service';

/** Shown instead of an amount in presenter mode. */
export const MASKED_AMOUNT = '•••';

function browserLocale(): string | undefined {
  return globalThis.navigator?.language || undefined;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** An amount in `currency`, in the browser's locale ("$1,234.50", "1.234,50 $"). */
export function formatMoney(amount: number, currency: string, digits = 2): string {
  const key = `${currency}:${digits}`;
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(browserLocale(), {
        style: 'currency',
        currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
    } catch {
      // An unknown currency code must not break the page: show the code beside a plain number.
      const plain = new Intl.NumberFormat(browserLocale(), {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      return `${plain.format(amount)} ${currency}`;
    }
    moneyFormats.set(key, format);
  }
  return format.format(amount);
}

export function formatNumber(value: number, maxDigits = 0): string {
  return new Intl.NumberFormat(browserLocale(), { maximumFractionDigits: maxDigits }).format(value);
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
  try {
    return new Intl.DateTimeFormat(browserLocale(), {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat(browserLocale(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      new Date(iso),
    );
  }
}

/** "2026-03-29" → "29 Mar" in the browser's locale; the date is a calendar day, so no zone shift. */
export function shortDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Intl.DateTimeFormat(browserLocale(), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y!, m! - 1, d!)),
  );
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
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Intl.DateTimeFormat(browserLocale(), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(year ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y!, m! - 1, d!)));
}
