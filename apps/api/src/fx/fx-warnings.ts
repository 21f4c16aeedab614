import type { AnalyticsWarning } from '@mt/contracts';

/** Days named one by one in a warning's message; more are given as a count and a span. */
const DAYS_SPELLED_OUT = 3;

/**
 * The warning of orders or refunds left out for want of a rate, in words: how many, which currencies
 * on which business days lack a rate, and what to do. `missing` is sorted by currency, days ascending.
 */
export function unconvertedWarning(
  code: AnalyticsWarning['code'],
  count: number,
  missing: AnalyticsWarning['missing'],
  base: string,
): AnalyticsWarning {
  const what = code === 'unconverted_orders' ? (count === 1 ? 'order' : 'orders') : count === 1 ? 'refund' : 'refunds';
  const currencies = missing.map((entry) => entry.currency);
  const lacking = missing.map(({ currency, days }) => `${currency} ${daysInWords(days)}`).join('; ');
  return {
    code,
    count,
    currencies,
    missing,
    message:
      `${count} ${what} in ${currencies.join(', ')} could not be converted to ${base} and ${count === 1 ? 'is' : 'are'} left out` +
      ` (no rate for ${lacking}): add the rates under Settings → Currencies`,
  };
}

function daysInWords(days: string[]): string {
  if (days.length <= DAYS_SPELLED_OUT) return `on ${days.join(', ')}`;
  return `on ${days.length} days from ${days[0]} to ${days[days.length - 1]}`;
}

/** Rows of (code, currency, day, count) from SQL, grouped into one warning per code. */
export function warningsFromRows(
  rows: ReadonlyArray<{ code: AnalyticsWarning['code']; currency: string; day: string; n: number }>,
  base: string,
): AnalyticsWarning[] {
  const warnings: AnalyticsWarning[] = [];
  for (const code of ['unconverted_orders', 'unconverted_refunds'] as const) {
    const mine = rows.filter((row) => row.code === code);
    if (!mine.length) continue;
    const byCurrency = new Map<string, string[]>();
    for (const row of [...mine].sort((a, b) => a.currency.localeCompare(b.currency) || a.day.localeCompare(b.day))) {
      const days = byCurrency.get(row.currency) ?? [];
      if (days[days.length - 1] !== row.day) days.push(row.day);
      byCurrency.set(row.currency, days);
    }
    const count = mine.reduce((sum, row) => sum + row.n, 0);
    const missing = [...byCurrency].map(([currency, days]) => ({ currency, days }));
    warnings.push(unconvertedWarning(code, count, missing, base));
  }
  return warnings;
}
