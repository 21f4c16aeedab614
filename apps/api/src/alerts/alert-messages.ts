import type { DigestFigures } from '@mt/contracts';
import { toLocal } from '@mt/periods';

/**
 * The wording of alert e-mails (also shown in the dashboard). Plain text, short lines: the numbers in
 * them are what users act on, and what the tests read back from a real SMTP server.
 */
export interface AlertMessage {
  subject: string;
  body: string;
}

export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);
}

export function formatPercent(change: number | null): string {
  if (change === null) return 'n/a';
  return `${change > 0 ? '+' : ''}${change.toFixed(2)}%`;
}

/** `2026-11-26 08:14` on the wall clock of the zone. */
export function formatLocalTime(instant: Date, zone: string): string {
  const t = toLocal(instant, zone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${t.year}-${two(t.month)}-${two(t.day)} ${two(t.hour)}:${two(t.minute)}`;
}

export function weekdayName(date: string): string {
  return new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function dayRevenueMessage(f: {
  date: string;
  zone: string;
  currency: string;
  revenue: number;
  orders: number;
  threshold: number;
  asOf: Date;
}): AlertMessage {
  const revenue = formatMoney(f.revenue, f.currency);
  const threshold = formatMoney(f.threshold, f.currency);
  return {
    subject: `MT Ink: ${revenue} today, milestone ${threshold} reached`,
    body: [
      `Revenue today (${f.date}, ${f.zone}) reached ${revenue}`,
      `from ${plural(f.orders, 'order')} as of ${formatLocalTime(f.asOf, f.zone)}.`,
      `Your milestone: ${threshold} in a day.`,
    ].join('\n'),
  };
}

export function weekOrdersMessage(f: {
  weekStart: string;
  zone: string;
  currency: string;
  orders: number;
  revenue: number;
  threshold: number;
  asOf: Date;
}): AlertMessage {
  return {
    subject: `MT Ink: ${plural(f.orders, 'order')} this week, milestone ${f.threshold} reached`,
    body: [
      `This week (from Monday ${f.weekStart}, ${f.zone}) has ${plural(f.orders, 'order')}`,
      `and ${formatMoney(f.revenue, f.currency)} revenue as of ${formatLocalTime(f.asOf, f.zone)}.`,
      `Your milestone: ${plural(f.threshold, 'order')} in a week.`,
    ].join('\n'),
  };
}

export function bestDayMessage(f: {
  date: string;
  zone: string;
  currency: string;
  revenue: number;
  orders: number;
  previousBest: number;
  previousBestDate: string;
  asOf: Date;
}): AlertMessage {
  const revenue = formatMoney(f.revenue, f.currency);
  return {
    subject: `MT Ink: best day ever, ${revenue} today`,
    body: [
      `Revenue today (${f.date}, ${f.zone}) reached ${revenue}`,
      `from ${plural(f.orders, 'order')} as of ${formatLocalTime(f.asOf, f.zone)},`,
      `above the previous best of ${formatMoney(f.previousBest, f.currency)} on ${f.previousBestDate}.`,
    ].join('\n'),
  };
}

export function silenceMessage(f: { zone: string; hours: number; lastOrderAt: Date; asOf: Date }): AlertMessage {
  const quietMinutes = Math.floor((f.asOf.getTime() - f.lastOrderAt.getTime()) / 60_000);
  return {
    subject: `MT Ink: no order for ${plural(f.hours, 'hour')}`,
    body: [
      `The last order came in at ${formatLocalTime(f.lastOrderAt, f.zone)} (${f.zone}),`,
      `${Math.floor(quietMinutes / 60)} h ${quietMinutes % 60} min before ${formatLocalTime(f.asOf, f.zone)}.`,
      `Worth checking that the shops and their webhooks are working.`,
    ].join('\n'),
  };
}

export function digestMessage(d: DigestFigures): AlertMessage {
  const money = (n: number | null) => (n === null ? 'none' : formatMoney(n, d.currency));
  const weekday = weekdayName(d.day.date);
  const compare = (
    name: string,
    value: (day: typeof d.day) => string,
    change: (c: typeof d.vsDayBefore) => number | null,
  ) => [
    `${name}: ${value(d.day)}`,
    `  vs the day before (${value(d.dayBefore)}): ${formatPercent(change(d.vsDayBefore))}`,
    `  vs ${weekday} a week earlier (${value(d.sameWeekdayLastWeek)}): ${formatPercent(change(d.vsSameWeekdayLastWeek))}`,
  ];
  const countries = d.topCountries.length
    ? d.topCountries.map((c) => `  ${c.country ?? '(unknown)'}: ${plural(c.orders, 'order')}, ${money(c.revenue)}`)
    : ['  (no orders)'];
  const spotify = d.spotify;
  return {
    subject: `MT Ink daily digest ${d.day.date}: ${plural(d.day.orders, 'order')}, ${money(d.day.revenue)}`,
    body: [
      `Yesterday, ${weekday} ${d.day.date} (${d.timezone}):`,
      '',
      ...compare(
        'Orders',
        (day) => String(day.orders),
        (c) => c.orders,
      ),
      ...compare(
        'Revenue',
        (day) => money(day.revenue),
        (c) => c.revenue,
      ),
      ...compare(
        'Average order',
        (day) => money(day.aov),
        (c) => c.aov,
      ),
      '',
      'Top countries:',
      ...countries,
      '',
      `Spotify, week of ${spotify.weekStart}: ${integer.format(spotify.minutes)} minutes`,
      `  vs the week before (${integer.format(spotify.previousWeekMinutes)}): ${formatPercent(spotify.change)}`,
    ].join('\n'),
  };
}

function plural(n: number, word: string): string {
  return `${integer.format(n)} ${word}${n === 1 ? '' : 's'}`;
}
