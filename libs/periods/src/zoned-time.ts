/**
 * Wall-clock arithmetic in an IANA time zone with nothing but `Intl.DateTimeFormat`, so that the API and
 * the dashboard (browser) share it. Local calendar dates are `YYYY-MM-DD` strings.
 */

/** A wall-clock reading in some zone; `month` is 1–12. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** A calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let cached = formatters.get(zone);
  if (!cached) {
    // Throws RangeError for an unknown zone, which is what callers should see.
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(zone, cached);
  }
  return cached;
}

/** The wall-clock reading of an instant in a zone. */
export function toLocal(instant: Date, zone: string): LocalDateTime {
  const shifted = new Date(instant.getTime() + zoneOffsetMs(instant, zone));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    millisecond: shifted.getUTCMilliseconds(),
  };
}

function localAsUtc(local: LocalDateTime): number {
  const date = new Date(0);
  date.setUTCFullYear(local.year, local.month - 1, local.day);
  date.setUTCHours(local.hour, local.minute, local.second, local.millisecond);
  return date.getTime();
}

/** The offset as `Intl` reports it: the zone's wall clock to the second, minus the instant. */
function measuredOffsetMs(time: number, zone: string): number {
  const fields: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(new Date(time))) fields[part.type] = part.value;
  const year = Number(fields['year']);
  const wall = localAsUtc({
    year: fields['era'] === 'BC' || fields['era'] === 'B' ? 1 - year : year,
    month: Number(fields['month']),
    day: Number(fields['day']),
    hour: Number(fields['hour']) % 24,
    minute: Number(fields['minute']),
    second: Number(fields['second']),
    // Zone offsets are whole seconds, so the millisecond is the same everywhere.
    millisecond: ((time % 1000) + 1000) % 1000,
  });
  return wall - time;
}

const HOUR_MS = 3_600_000;
const offsets = new Map<string, number>();

/**
 * Offset of the zone from UTC at that instant, in milliseconds (Berlin in summer: +7,200,000).
 * `formatToParts` is slow (a summary request needs ~100 readings), so the offset of each UTC hour is
 * remembered when it is the same at the hour's first and last millisecond: zones change offset at most
 * once within an hour, so the hour then has no transition.
 */
export function zoneOffsetMs(instant: Date, zone: string): number {
  const time = instant.getTime();
  const hour = Math.floor(time / HOUR_MS);
  const key = `${zone}|${hour}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const first = measuredOffsetMs(hour * HOUR_MS, zone);
  const last = measuredOffsetMs((hour + 1) * HOUR_MS - 1, zone);
  if (first !== last) return measuredOffsetMs(time, zone);
  if (offsets.size >= 100_000) offsets.clear();
  offsets.set(key, first);
  return first;
}

/**
 * The instant a wall-clock reading denotes. Like Temporal's `compatible` disambiguation: a reading that
 * occurs twice (autumn) is the earlier instant; one skipped by a spring-forward gap moves forward by the
 * length of the gap (02:30 on a Berlin spring day is 03:30 CEST).
 */
export function fromLocal(local: LocalDateTime, zone: string): Date {
  const wall = localAsUtc(local);
  const offsetBefore = zoneOffsetMs(new Date(wall - DAY_MS), zone);
  const offsetAfter = zoneOffsetMs(new Date(wall + DAY_MS), zone);
  const matches = [wall - offsetBefore, wall - offsetAfter]
    .filter((candidate) => localAsUtc(toLocal(new Date(candidate), zone)) === wall)
    .sort((a, b) => a - b);
  return new Date(matches[0] ?? wall - offsetBefore);
}

/** `YYYY-MM-DD` of the instant on the zone's wall clock. */
export function localDate(instant: Date, zone: string): LocalDate {
  return formatLocalDate(toLocal(instant, zone));
}

export function formatLocalDate(local: Pick<LocalDateTime, 'year' | 'month' | 'day'>): LocalDate {
  return `${String(local.year).padStart(4, '0')}-${pad(local.month)}-${pad(local.day)}`;
}

export function parseLocalDate(date: LocalDate): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: "${date}"`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`no such date: "${date}"`);
  }
  return { year, month, day };
}

export function isLocalDate(value: string): boolean {
  try {
    parseLocalDate(value);
    return true;
  } catch {
    return false;
  }
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/**
 * An ISO 8601 instant with an offset (`2026-03-31T14:30:00+02:00`, `…Z`), on a real calendar date. The
 * offset is required: without one the instant would silently mean the zone of whoever parses it.
 */
export function parseInstant(value: string): Date {
  const match = INSTANT.exec(value);
  if (!match || !isLocalDate(match[1]!)) {
    throw new RangeError(`not an ISO 8601 instant with offset, like 2026-03-31T14:30:00+02:00: "${value}"`);
  }
  return new Date(value);
}

export function isInstant(value: string): boolean {
  try {
    parseInstant(value);
    return true;
  } catch {
    return false;
  }
}

/** The first instant of that calendar day in the zone (00:00, or the end of a gap that swallows it). */
export function startOfLocalDay(date: LocalDate, zone: string): Date {
  return fromLocal({ ...parseLocalDate(date), hour: 0, minute: 0, second: 0, millisecond: 0 }, zone);
}

/** Calendar arithmetic on a date, independent of any zone. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const { year, month, day } = parseLocalDate(date);
  const shifted = new Date(0);
  shifted.setUTCFullYear(year, month - 1, day + days);
  return formatLocalDate({
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  });
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  const a = parseLocalDate(from);
  const b = parseLocalDate(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
}

/** The same wall-clock time `days` calendar days later (earlier when negative): 24 h ± a DST hour. */
export function addWallClockDays(instant: Date, days: number, zone: string): Date {
  const local = toLocal(instant, zone);
  const date = addDays(formatLocalDate(local), days);
  return fromLocal({ ...local, ...parseLocalDate(date) }, zone);
}

/** ISO weekday of a date: Monday 1 … Sunday 7. */
export function isoWeekday(date: LocalDate): number {
  const { year, month, day } = parseLocalDate(date);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

/** The Monday of the ISO week that holds the date. */
export function startOfIsoWeek(date: LocalDate): LocalDate {
  return addDays(date, 1 - isoWeekday(date));
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** First day of the month `months` months after the date's month (negative: before). */
export function addMonthsToMonthStart(date: LocalDate, months: number): LocalDate {
  const { year, month } = parseLocalDate(date);
  const index = year * 12 + (month - 1) + months;
  return formatLocalDate({ year: Math.floor(index / 12), month: (index % 12) + 1, day: 1 });
}

/** The instant as ISO 8601 with the zone's offset: `2026-03-29T03:00:00+02:00`. */
export function toZonedIso(instant: Date, zone: string): string {
  const local = toLocal(instant, zone);
  const offsetMinutes = Math.round(zoneOffsetMs(instant, zone) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const ms = local.millisecond ? `.${String(local.millisecond).padStart(3, '0')}` : '';
  return (
    `${formatLocalDate(local)}T${pad(local.hour)}:${pad(local.minute)}:${pad(local.second)}${ms}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
