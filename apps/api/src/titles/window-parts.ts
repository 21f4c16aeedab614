import {
  addDays,
  addMonthsToMonthStart,
  daysBetween,
  localDate,
  type LocalDate,
  startOfLocalDay,
  type TimeWindow,
} from '@mt/periods';

/** What the title rollups can answer for: read from them once, before a query is planned. */
export interface TitleRollupState {
  /** The daily rollups were built in the business zone (else no whole day is read from them). */
  daysInZone: boolean;
  /** Local days the daily rollups are stale for (a marked hour overlaps them). */
  dirtyDays: LocalDate[];
  /** UTC hours the hourly rollups are stale for. */
  dirtyHours: Date[];
}

/** A stretch of window `idx` (1-based, in the order given), counted `sign` times (-1: taken off its day). */
export interface WindowPart {
  idx: number;
  from: Date;
  to: Date;
  sign: 1 | -1;
}

/** Local days (or months, by their first days) [first, end) of window `idx`, counted `sign` times. */
export interface DayRange {
  idx: number;
  first: LocalDate;
  end: LocalDate;
  sign: 1 | -1;
}

/**
 * Where each window's figures come from, exactly once each: whole local months without a dirty day from
 * the monthly rollups (`months`, when asked for), the other whole local days from the daily rollups
 * (`days`, their dirty days left out in SQL and re-read below), whole clean UTC hours from the hourly
 * rollups (`hours`), and the rest from the lines (`raw`: the minutes before a window's first whole hour
 * and after its last, the hour of "now", dirty hours). Every stretch below a day lies within one local
 * day, so that its rows count on the right day also in zones whose midnight is not a whole UTC hour.
 *
 * A window's part of a clean day that is longer than the rest of that day is read the other way round:
 * the whole day from the daily rollups, less the rest (stretches of sign -1). A day's rollup holds every
 * row of the day, so this is the same sum; "today so far" then costs the day's row less the nothing
 * after now, instead of its hours and minutes (and by country, its lines). Likewise a window's part of a
 * clean month: the month's row less the days of it outside the window (day ranges of sign -1), when
 * those are fewer than the days inside less one. A month's rollup is the sum of its days' rows, kept so
 * in the statement that wrote them, so this too is the same sum; a year from the 2nd of a month then reads
 * two rows of its first month instead of 30 daily ones (again for the year before).
 */
export interface WindowParts {
  months: DayRange[];
  days: DayRange[];
  hours: WindowPart[];
  raw: WindowPart[];
}

const HOUR_MS = 3_600_000;

/** `months`: whole months may come from the monthly rollups (not for figures per day). */
export function windowParts(
  windows: TimeWindow[],
  zone: string,
  state: TitleRollupState,
  options: { months: boolean } = { months: true },
): WindowParts {
  const parts: WindowParts = { months: [], days: [], hours: [], raw: [] };
  const dirtyHours = new Set(state.dirtyHours.map((hour) => hour.getTime()));
  const add = (list: WindowPart[], idx: number, from: number, to: number, sign: 1 | -1) => {
    if (from >= to) return;
    const last = list[list.length - 1];
    if (last && last.idx === idx && last.sign === sign && last.to.getTime() === from) last.to = new Date(to);
    else list.push({ idx, from: new Date(from), to: new Date(to), sign });
  };
  const withinDay = (idx: number, from: number, to: number, sign: 1 | -1) => {
    const firstHour = Math.ceil(from / HOUR_MS) * HOUR_MS;
    const endHour = Math.floor(to / HOUR_MS) * HOUR_MS;
    if (firstHour >= endHour) return add(parts.raw, idx, from, to, sign);
    add(parts.raw, idx, from, firstHour, sign);
    for (let hour = firstHour; hour < endHour; hour += HOUR_MS)
      add(dirtyHours.has(hour) ? parts.raw : parts.hours, idx, hour, hour + HOUR_MS, sign);
    add(parts.raw, idx, endHour, to, sign);
  };
  const belowDays = (idx: number, from: Date, to: Date, sign: 1 | -1 = 1) => {
    for (let at = from.getTime(); at < to.getTime();) {
      const nextDay = startOfLocalDay(addDays(localDate(new Date(at), zone), 1), zone).getTime();
      const until = Math.min(nextDay, to.getTime());
      withinDay(idx, at, until, sign);
      at = until;
    }
  };
  const addRange = (list: DayRange[], idx: number, first: LocalDate, end: LocalDate, sign: 1 | -1 = 1) => {
    if (first >= end) return;
    const last = list[list.length - 1];
    if (last && last.idx === idx && last.sign === sign && last.end === first) last.end = end;
    else list.push({ idx, first, end, sign });
  };
  const dirtyMonths = new Set(state.dirtyDays.map((day) => addMonthsToMonthStart(day, 0)));
  // The days [first, end) within one month: as they are, or as the clean month less its other days.
  const partOfMonth = (idx: number, first: LocalDate, end: LocalDate) => {
    const month = addMonthsToMonthStart(first, 0);
    const next = addMonthsToMonthStart(month, 1);
    const rest = daysBetween(month, first) + daysBetween(end, next);
    if (first >= end || dirtyMonths.has(month) || rest + 1 >= daysBetween(first, end))
      return addRange(parts.days, idx, first, end);
    addRange(parts.months, idx, month, next);
    addRange(parts.days, idx, month, first, -1);
    addRange(parts.days, idx, end, next, -1);
  };
  // The whole months among the days [first, end), each from its rollup unless one of its days is dirty.
  const wholeDays = (idx: number, first: LocalDate, end: LocalDate) => {
    const firstMonth = addMonthsToMonthStart(first, addMonthsToMonthStart(first, 0) === first ? 0 : 1);
    const endMonth = addMonthsToMonthStart(end, 0);
    if (!options.months) return addRange(parts.days, idx, first, end);
    if (firstMonth > endMonth) return partOfMonth(idx, first, end);
    partOfMonth(idx, first, firstMonth);
    for (let month = firstMonth; month < endMonth; month = addMonthsToMonthStart(month, 1)) {
      const next = addMonthsToMonthStart(month, 1);
      addRange(dirtyMonths.has(month) ? parts.days : parts.months, idx, month, next);
    }
    partOfMonth(idx, endMonth, end);
  };
  const dirtyDays = new Set(state.dirtyDays);
  // [from, to) within the local day `day`: directly, or as the day less its rest when that is shorter.
  const partOfDay = (idx: number, day: LocalDate, from: Date, to: Date) => {
    if (from >= to) return;
    const start = startOfLocalDay(day, zone);
    const next = startOfLocalDay(addDays(day, 1), zone);
    const rest = from.getTime() - start.getTime() + (next.getTime() - to.getTime());
    if (dirtyDays.has(day) || rest >= to.getTime() - from.getTime()) return belowDays(idx, from, to);
    addRange(parts.days, idx, day, addDays(day, 1));
    belowDays(idx, start, from, -1);
    belowDays(idx, to, next, -1);
  };
  windows.forEach((window, i) => {
    const idx = i + 1;
    if (!state.daysInZone) return belowDays(idx, window.from, window.to);
    const fromDay = localDate(window.from, zone);
    const first = startOfLocalDay(fromDay, zone).getTime() < window.from.getTime() ? addDays(fromDay, 1) : fromDay;
    const end = localDate(window.to, zone);
    if (daysBetween(first, end) < 0 || (first === end && fromDay === end))
      return partOfDay(idx, fromDay, window.from, window.to);
    partOfDay(idx, fromDay, window.from, startOfLocalDay(first, zone));
    wholeDays(idx, first, end);
    for (const day of state.dirtyDays.filter((d) => d >= first && d < end))
      belowDays(idx, startOfLocalDay(day, zone), startOfLocalDay(addDays(day, 1), zone));
    partOfDay(idx, end, startOfLocalDay(end, zone), window.to);
  });
  return parts;
}
