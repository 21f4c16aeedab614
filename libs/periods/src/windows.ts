import {
  addDays,
  addMonthsToMonthStart,
  addWallClockDays,
  daysBetween,
  daysInMonth,
  formatLocalDate,
  fromLocal,
  isLocalDate,
  LocalDate,
  localDate,
  parseInstant,
  parseLocalDate,
  startOfIsoWeek,
  startOfLocalDay,
  toLocal,
} from './zoned-time';

/** A half-open interval of instants, [from, to). */
export interface TimeWindow {
  from: Date;
  to: Date;
}

/**
 * The windows of SPEC §2. Each follows the business zone's wall clock: on a DST day "today" is 23 or 25
 * hours long, and "yesterday at this time" is yesterday at the same wall-clock time, not now − 24 h.
 */

/** [today 00:00, now) */
export function todaySoFar(now: Date, zone: string): TimeWindow {
  return { from: startOfLocalDay(localDate(now, zone), zone), to: now };
}

/** [yesterday 00:00, yesterday at now's wall-clock time) */
export function yesterdaySameTime(now: Date, zone: string): TimeWindow {
  return sameTimeDaysBack(now, zone, 1);
}

/** [yesterday 00:00, today 00:00) */
export function yesterdayFullDay(now: Date, zone: string): TimeWindow {
  const today = localDate(now, zone);
  return { from: startOfLocalDay(addDays(today, -1), zone), to: startOfLocalDay(today, zone) };
}

/** [Monday 00:00, now), ISO weeks. */
export function weekSoFar(now: Date, zone: string): TimeWindow {
  return { from: startOfLocalDay(startOfIsoWeek(localDate(now, zone)), zone), to: now };
}

/** [last Monday 00:00, the same weekday and wall-clock time last week) */
export function lastWeekSamePoint(now: Date, zone: string): TimeWindow {
  const local = toLocal(now, zone);
  const lastWeekDay = addDays(formatLocalDate(local), -7);
  return {
    from: startOfLocalDay(startOfIsoWeek(lastWeekDay), zone),
    to: fromLocal({ ...local, ...parseLocalDate(lastWeekDay) }, zone),
  };
}

/** [1st 00:00, now) */
export function monthSoFar(now: Date, zone: string): TimeWindow {
  const local = toLocal(now, zone);
  return { from: startOfLocalDay(formatLocalDate({ ...local, day: 1 }), zone), to: now };
}

/**
 * [1st of last month 00:00, the same day-of-month and time last month); when last month has no such day
 * (31 March → February), the whole of last month.
 */
export function lastMonthSamePoint(now: Date, zone: string): TimeWindow {
  const local = toLocal(now, zone);
  const thisMonth = formatLocalDate({ ...local, day: 1 });
  const lastMonth = addMonthsToMonthStart(thisMonth, -1);
  const { year, month } = parseLocalDate(lastMonth);
  const to =
    local.day > daysInMonth(year, month)
      ? startOfLocalDay(thisMonth, zone)
      : fromLocal({ ...local, year, month }, zone);
  return { from: startOfLocalDay(lastMonth, zone), to };
}

/**
 * A user-chosen range. `from` and `to` are each a calendar date (`YYYY-MM-DD`, in the zone) or an ISO
 * instant with offset. A date `to` is inclusive (the range runs to the end of that day, as a date picker
 * means it); an instant `to` is exclusive.
 */
export function customRange(from: string, to: string, zone: string): TimeWindow {
  return {
    from: isLocalDate(from) ? startOfLocalDay(from, zone) : parseInstant(from),
    to: isLocalDate(to) ? startOfLocalDay(addDays(to, 1), zone) : parseInstant(to),
  };
}

/**
 * The equally long range just before. When both bounds are local midnights the length is counted in
 * calendar days (so a week with a DST change is compared with the previous seven days); otherwise in
 * elapsed time.
 */
export function previousRange(window: TimeWindow, zone: string): TimeWindow {
  return shiftWindow(window, previousRangeShift(window, zone));
}

/** The same window 364 days (52 weeks) earlier on the wall clock, so weekdays line up. */
export function yearOverYear(window: TimeWindow, zone: string): TimeWindow {
  return shiftWindow(window, calendarDaysShift(-364, zone));
}

/** A window and the window it is measured against. */
export interface ComparedWindows {
  current: TimeWindow;
  previous: TimeWindow;
}

/**
 * A range that reaches into the future, cut at `now`: [from, to) with to > now is [from, now). A range
 * that starts at or after `now` has nothing in it yet and is the empty [from, from), so it still says
 * where it starts and its comparison can be placed.
 */
export function cutAtNow(window: TimeWindow, now: Date): TimeWindow {
  const to = Math.min(window.to.getTime(), Math.max(window.from.getTime(), now.getTime()));
  return { from: window.from, to: new Date(to) };
}

/**
 * A custom range against the equally long range just before it (`previousRange`), both cut at the same
 * point (SPEC §2): the range is cut at `now`, and the previous range at the same offset from its start.
 * The offset follows the wall clock as the other same-point windows do: a range of whole days is moved
 * back by its calendar days, so "this week" cut on Wednesday 08:34 is compared with last week up to
 * Wednesday 08:34, whatever DST did in between; a range of instants is moved back by its elapsed length.
 */
export function comparedWithPreviousRange(window: TimeWindow, now: Date, zone: string): ComparedWindows {
  return compareSamePoint(window, now, previousRangeShift(window, zone));
}

/**
 * A range against the same range 364 days earlier (`yearOverYear`), both cut at the same point: on
 * 1 December at 08:34, "1 December" is 00:00–08:34 and so is its day a year earlier, on the wall clock.
 */
export function comparedYearOverYear(window: TimeWindow, now: Date, zone: string): ComparedWindows {
  return compareSamePoint(window, now, calendarDaysShift(-364, zone));
}

/** Maps an instant of a window onto the instant of its comparison window that corresponds to it. */
type InstantShift = (instant: Date) => Date;

function compareSamePoint(window: TimeWindow, now: Date, shift: InstantShift): ComparedWindows {
  const current = cutAtNow(window, now);
  return { current, previous: shiftWindow(current, shift) };
}

function shiftWindow(window: TimeWindow, shift: InstantShift): TimeWindow {
  const from = shift(window.from);
  // Wall-clock shifts can fold two instants of an autumn hour onto one: never let `to` pass `from`.
  return { from, to: new Date(Math.max(from.getTime(), shift(window.to).getTime())) };
}

function previousRangeShift(window: TimeWindow, zone: string): InstantShift {
  if (isStartOfDay(window.from, zone) && isStartOfDay(window.to, zone)) {
    return calendarDaysShift(-daysBetween(localDate(window.from, zone), localDate(window.to, zone)), zone);
  }
  const length = window.to.getTime() - window.from.getTime();
  return (instant) => new Date(instant.getTime() - length);
}

/**
 * The same wall-clock time `days` calendar days away; the start of a day stays the start of a day (also
 * where midnight falls into a DST gap on one of the two days).
 */
function calendarDaysShift(days: number, zone: string): InstantShift {
  return (instant) =>
    isStartOfDay(instant, zone)
      ? startOfLocalDay(addDays(localDate(instant, zone), days), zone)
      : addWallClockDays(instant, days, zone);
}

export interface QuarterWindow extends TimeWindow {
  /** `2026-Q1` */
  quarter: string;
  /** Calendar days in the quarter. */
  days: number;
}

/** Calendar quarter `q` (1–4) of `year` in the zone. */
export function quarterBounds(year: number, q: number, zone: string): QuarterWindow {
  if (!Number.isInteger(q) || q < 1 || q > 4) throw new RangeError(`quarter must be 1 to 4, got ${q}`);
  const first = formatLocalDate({ year, month: (q - 1) * 3 + 1, day: 1 });
  const next = addMonthsToMonthStart(first, 3);
  return {
    quarter: `${year}-Q${q}`,
    from: startOfLocalDay(first, zone),
    to: startOfLocalDay(next, zone),
    days: daysBetween(first, next),
  };
}

/** The calendar quarter that holds `now` in the zone. */
export function quarterOf(now: Date, zone: string): QuarterWindow {
  const { year, month } = toLocal(now, zone);
  return quarterBounds(year, Math.floor((month - 1) / 3) + 1, zone);
}

/** `2026-Q1` → bounds; throws on anything else. */
export function parseQuarter(quarter: string, zone: string): QuarterWindow {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!match) throw new RangeError(`not a quarter like 2026-Q1: "${quarter}"`);
  return quarterBounds(Number(match[1]), Number(match[2]), zone);
}

/**
 * The last `days` calendar days including today so far: [00:00 of today − (days − 1), now). `dates` lists
 * them oldest first.
 */
export function lastDays(now: Date, zone: string, days: number): TimeWindow & { dates: LocalDate[] } {
  const today = localDate(now, zone);
  const dates = Array.from({ length: days }, (_, i) => addDays(today, i - days + 1));
  return { from: startOfLocalDay(dates[0] ?? today, zone), to: now, dates };
}

function sameTimeDaysBack(now: Date, zone: string, days: number): TimeWindow {
  const local = toLocal(now, zone);
  const day = addDays(formatLocalDate(local), -days);
  return { from: startOfLocalDay(day, zone), to: fromLocal({ ...local, ...parseLocalDate(day) }, zone) };
}

function isStartOfDay(instant: Date, zone: string): boolean {
  return startOfLocalDay(localDate(instant, zone), zone).getTime() === instant.getTime();
}
