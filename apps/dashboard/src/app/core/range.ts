import {
  LocalDate,
  addDays,
  formatLocalDate,
  isLocalDate,
  localDate,
  parseLocalDate,
  startOfIsoWeek,
} from '@mt/periods';
import type { CompareWith } from '@mt/contracts';
import { dateFormat } from './format';

/** A range as the API takes it: calendar days in the business zone, `to` inclusive. */
export interface DateRange {
  from: LocalDate;
  to: LocalDate;
}

/** A picked calendar day (local midnight of the date picker) as the API wants it: "2026-03-29". */
export function toIsoDay(date: Date): string {
  return formatLocalDate({ year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate() });
}

/** The presets of SPEC §6, plus the 30 days the cards showed before the page followed a range. */
export const PRESETS = [
  { key: 'today', label: 'Today' },
  { key: 'yesterday', label: 'Yesterday' },
  { key: 'last-7-days', label: 'Last 7 days' },
  { key: 'last-30-days', label: 'Last 30 days' },
  { key: 'this-week', label: 'This week' },
  { key: 'last-week', label: 'Last week' },
  { key: 'this-month', label: 'This month' },
  { key: 'last-month', label: 'Last month' },
  { key: 'quarter-to-date', label: 'Quarter to date' },
  { key: 'year-to-date', label: 'Year to date' },
] as const;

export type PresetKey = (typeof PRESETS)[number]['key'];
export const DEFAULT_PRESET: PresetKey = 'last-30-days';

/** What the page shows: a preset (resolved against today) or fixed days, and what it is compared with. */
export type RangeView =
  { preset: PresetKey; compare: CompareWith } | { preset: 'custom'; custom: DateRange; compare: CompareWith };

/** The range's part of the page's URL: `?range=last-month&compare=yoy` or `?from=…&to=…`. */
export interface RangeQuery {
  range?: string | null;
  from?: string | null;
  to?: string | null;
  compare?: string | null;
}

export const COMPARE_LABELS: Record<CompareWith, string> = {
  previous: 'previous period',
  yoy: 'year over year',
};

const PRESET_KEYS = new Set<string>(PRESETS.map((preset) => preset.key));

function isPreset(value: string | null | undefined): value is PresetKey {
  return value !== null && value !== undefined && PRESET_KEYS.has(value);
}

/** Reads the URL; anything it cannot use falls back to the default view rather than to an error. */
export function parseRangeQuery(query: RangeQuery): RangeView {
  const compare: CompareWith = query.compare === 'yoy' ? 'yoy' : 'previous';
  const { from, to } = query;
  if (from && to && isLocalDate(from) && isLocalDate(to) && from <= to)
    return { preset: 'custom', custom: { from, to }, compare };
  return { preset: isPreset(query.range) ? query.range : DEFAULT_PRESET, compare };
}

/** The URL of a view; the default view has none, so the plain address stays the plain address. */
export function rangeQueryParams(view: RangeView): Required<RangeQuery> {
  const custom = view.preset === 'custom';
  return {
    range: custom || view.preset === DEFAULT_PRESET ? null : view.preset,
    from: custom ? view.custom.from : null,
    to: custom ? view.custom.to : null,
    compare: view.compare === 'yoy' ? 'yoy' : null,
  };
}

/** The days of a view, with `today` the business zone's date now. */
export function resolveRange(view: RangeView, today: LocalDate): DateRange {
  if (view.preset === 'custom') return view.custom;
  const { year, month } = parseLocalDate(today);
  const firstOfMonth = (y: number, m: number) => formatLocalDate({ year: y, month: m, day: 1 });
  switch (view.preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) };
    case 'last-7-days':
      return { from: addDays(today, -6), to: today };
    case 'last-30-days':
      return { from: addDays(today, -29), to: today };
    case 'this-week':
      return { from: startOfIsoWeek(today), to: today };
    case 'last-week': {
      const monday = addDays(startOfIsoWeek(today), -7);
      return { from: monday, to: addDays(monday, 6) };
    }
    case 'this-month':
      return { from: firstOfMonth(year, month), to: today };
    case 'last-month': {
      const first = month === 1 ? firstOfMonth(year - 1, 12) : firstOfMonth(year, month - 1);
      return { from: first, to: addDays(firstOfMonth(year, month), -1) };
    }
    case 'quarter-to-date': {
      return { from: firstOfMonth(year, Math.floor((month - 1) / 3) * 3 + 1), to: today };
    }
    case 'year-to-date':
      return { from: `${year}-01-01`, to: today };
  }
}

/** "Last month", or the custom days ("1 Nov – 7 Nov 2026"). */
export function viewLabel(view: RangeView): string {
  if (view.preset === 'custom') return describeDays(view.custom.from, view.custom.to);
  const preset = view.preset;
  return PRESETS.find((p) => p.key === preset)!.label;
}

/** Calendar days, inclusive, as the browser's locale writes a span: "Nov 1 – 7, 2026", "Nov 7, 2026". */
export function describeDays(from: LocalDate, to: LocalDate): string {
  const date = (day: LocalDate) => {
    const { year, month, day: d } = parseLocalDate(day);
    return new Date(Date.UTC(year, month - 1, d));
  };
  const format = dateFormat({ day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const text = from >= to ? format.format(date(from)) : format.formatRange(date(from), date(to));
  // ICU puts thin spaces around the dash: plain ones read the same and compare predictably.
  return text.replace(/[\u2009\u202f]/g, ' ');
}

/**
 * A window [from, to) of instants as the days it covers in `zone`: the last day is the one holding the
 * last instant inside, so a window cut at now ends today and a whole day ends on itself. An empty
 * window (to = from, a range that starts after now) is the one day it starts on.
 */
export function describeWindow(from: string, to: string, zone: string): string {
  const start = new Date(from).getTime();
  const end = new Date(to).getTime();
  const day = (instant: number) => localDate(new Date(instant), zone);
  const first = day(start);
  return describeDays(first, end > start ? day(end - 1) : first);
}
