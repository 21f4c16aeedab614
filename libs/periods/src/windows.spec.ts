import {
  comparedWithPreviousRange,
  comparedYearOverYear,
  customRange,
  cutAtNow,
  isoWeekday,
  lastDays,
  lastMonthSamePoint,
  lastWeekSamePoint,
  localDate,
  monthSoFar,
  parseQuarter,
  previousRange,
  quarterOf,
  TimeWindow,
  todaySoFar,
  toZonedIso,
  weekSoFar,
  yearOverYear,
  yesterdayFullDay,
  yesterdaySameTime,
} from './index';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const KIRITIMATI = 'Pacific/Kiritimati'; // UTC+14
const TONGATAPU = 'Pacific/Tongatapu'; // UTC+13
const SANTIAGO = 'America/Santiago'; // DST starts at midnight: 6 Sept 2026 begins at 01:00

/** A window written in the zone's own offsets, easy to read against a calendar. */
function inZone(window: TimeWindow, zone: string): [string, string] {
  return [toZonedIso(window.from, zone), toZonedIso(window.to, zone)];
}

function hours(window: TimeWindow): number {
  return (window.to.getTime() - window.from.getTime()) / 3_600_000;
}

describe('todaySoFar', () => {
  it.each([
    ['Berlin, spring DST day (23 h)', BERLIN, '2026-03-29T15:00:00+02:00', '2026-03-29T00:00:00+01:00', 14],
    ['Berlin, autumn DST day (25 h)', BERLIN, '2026-10-25T12:00:00+01:00', '2026-10-25T00:00:00+02:00', 13],
    ['New York, spring DST day', NEW_YORK, '2026-03-08T12:00:00-04:00', '2026-03-08T00:00:00-05:00', 11],
    ['New York, autumn DST day', NEW_YORK, '2026-11-01T12:00:00-05:00', '2026-11-01T00:00:00-04:00', 13],
    ['midnight exactly: empty', BERLIN, '2026-03-30T00:00:00+02:00', '2026-03-30T00:00:00+02:00', 0],
    ['one second after midnight', BERLIN, '2026-03-30T00:00:01+02:00', '2026-03-30T00:00:00+02:00', 1 / 3600],
    [
      'Kiritimati (UTC+14), still 31 Dec in UTC',
      KIRITIMATI,
      '2026-01-01T00:30:00+14:00',
      '2026-01-01T00:00:00+14:00',
      0.5,
    ],
  ])('%s', (_name, zone, now, from, length) => {
    const window = todaySoFar(new Date(now), zone);
    expect(inZone(window, zone)).toEqual([from, now]);
    expect(hours(window)).toBeCloseTo(length, 9);
  });
});

describe('yesterdaySameTime and yesterdayFullDay', () => {
  it.each([
    // name, zone, now, yesterday same time [from, to), yesterday full day to, full-day hours
    [
      'Berlin, day after spring DST',
      BERLIN,
      '2026-03-30T10:00:00+02:00',
      ['2026-03-29T00:00:00+01:00', '2026-03-29T10:00:00+02:00'],
      '2026-03-30T00:00:00+02:00',
      23,
    ],
    [
      'Berlin, day after autumn DST',
      BERLIN,
      '2026-10-26T10:00:00+01:00',
      ['2026-10-25T00:00:00+02:00', '2026-10-25T10:00:00+01:00'],
      '2026-10-26T00:00:00+01:00',
      25,
    ],
    [
      'Berlin, wall-clock time skipped yesterday moves past the gap',
      BERLIN,
      '2026-03-30T02:30:00+02:00',
      ['2026-03-29T00:00:00+01:00', '2026-03-29T03:30:00+02:00'],
      '2026-03-30T00:00:00+02:00',
      23,
    ],
    [
      'New York, day after spring DST',
      NEW_YORK,
      '2026-03-09T08:00:00-04:00',
      ['2026-03-08T00:00:00-05:00', '2026-03-08T08:00:00-04:00'],
      '2026-03-09T00:00:00-04:00',
      23,
    ],
    [
      'New York, midnight exactly after autumn DST',
      NEW_YORK,
      '2026-11-02T00:00:00-05:00',
      ['2026-11-01T00:00:00-04:00', '2026-11-01T00:00:00-04:00'],
      '2026-11-02T00:00:00-05:00',
      25,
    ],
    [
      '1 March after 29 February',
      BERLIN,
      '2024-03-01T09:00:00+01:00',
      ['2024-02-29T00:00:00+01:00', '2024-02-29T09:00:00+01:00'],
      '2024-03-01T00:00:00+01:00',
      24,
    ],
    [
      '1 January after 31 December, Kiritimati',
      KIRITIMATI,
      '2027-01-01T05:00:00+14:00',
      ['2026-12-31T00:00:00+14:00', '2026-12-31T05:00:00+14:00'],
      '2027-01-01T00:00:00+14:00',
      24,
    ],
    [
      'Tongatapu, one second into the year',
      TONGATAPU,
      '2026-01-01T00:00:01+13:00',
      ['2025-12-31T00:00:00+13:00', '2025-12-31T00:00:01+13:00'],
      '2026-01-01T00:00:00+13:00',
      24,
    ],
  ] as const)('%s', (_name, zone, now, sameTime, fullDayTo, fullDayHours) => {
    expect(inZone(yesterdaySameTime(new Date(now), zone), zone)).toEqual(sameTime);
    const fullDay = yesterdayFullDay(new Date(now), zone);
    expect(inZone(fullDay, zone)).toEqual([sameTime[0], fullDayTo]);
    expect(hours(fullDay)).toBe(fullDayHours);
  });
});

describe('weekSoFar and lastWeekSamePoint (ISO weeks, Monday)', () => {
  it.each([
    [
      'Monday after spring DST',
      BERLIN,
      '2026-03-30T09:00:00+02:00',
      '2026-03-30T00:00:00+02:00',
      ['2026-03-23T00:00:00+01:00', '2026-03-23T09:00:00+01:00'],
    ],
    [
      'Sunday that is the spring DST day',
      BERLIN,
      '2026-03-29T20:00:00+02:00',
      '2026-03-23T00:00:00+01:00',
      ['2026-03-16T00:00:00+01:00', '2026-03-22T20:00:00+01:00'],
    ],
    [
      'Monday midnight exactly, New York after autumn DST',
      NEW_YORK,
      '2026-11-02T00:00:00-05:00',
      '2026-11-02T00:00:00-05:00',
      ['2026-10-26T00:00:00-04:00', '2026-10-26T00:00:00-04:00'],
    ],
    [
      'week that starts in the old year',
      BERLIN,
      '2026-01-01T12:00:00+01:00',
      '2025-12-29T00:00:00+01:00',
      ['2025-12-22T00:00:00+01:00', '2025-12-25T12:00:00+01:00'],
    ],
    [
      'Kiritimati Monday while UTC is still Sunday',
      KIRITIMATI,
      '2026-01-05T01:00:00+14:00',
      '2026-01-05T00:00:00+14:00',
      ['2025-12-29T00:00:00+14:00', '2025-12-29T01:00:00+14:00'],
    ],
  ] as const)('%s', (_name, zone, now, weekFrom, lastWeek) => {
    expect(inZone(weekSoFar(new Date(now), zone), zone)).toEqual([weekFrom, now]);
    expect(inZone(lastWeekSamePoint(new Date(now), zone), zone)).toEqual(lastWeek);
    expect(isoWeekday(localDate(new Date(weekFrom), zone))).toBe(1);
  });
});

describe('monthSoFar and lastMonthSamePoint (clamped to the end of last month)', () => {
  it.each([
    [
      '31 March: the whole of February',
      BERLIN,
      '2026-03-31T10:00:00+02:00',
      '2026-03-01T00:00:00+01:00',
      ['2026-02-01T00:00:00+01:00', '2026-03-01T00:00:00+01:00'],
    ],
    [
      '29 March in a leap year: up to 29 February',
      BERLIN,
      '2024-03-29T10:00:00+01:00',
      '2024-03-01T00:00:00+01:00',
      ['2024-02-01T00:00:00+01:00', '2024-02-29T10:00:00+01:00'],
    ],
    [
      '29 February',
      BERLIN,
      '2024-02-29T18:00:00+01:00',
      '2024-02-01T00:00:00+01:00',
      ['2024-01-01T00:00:00+01:00', '2024-01-29T18:00:00+01:00'],
    ],
    [
      '30 March 2025, spring DST day, February has 28 days',
      BERLIN,
      '2025-03-30T12:00:00+02:00',
      '2025-03-01T00:00:00+01:00',
      ['2025-02-01T00:00:00+01:00', '2025-03-01T00:00:00+01:00'],
    ],
    [
      '31 December: the whole of November',
      BERLIN,
      '2026-12-31T23:59:59+01:00',
      '2026-12-01T00:00:00+01:00',
      ['2026-11-01T00:00:00+01:00', '2026-12-01T00:00:00+01:00'],
    ],
    [
      '1 January midnight exactly: empty windows',
      BERLIN,
      '2027-01-01T00:00:00+01:00',
      '2027-01-01T00:00:00+01:00',
      ['2026-12-01T00:00:00+01:00', '2026-12-01T00:00:00+01:00'],
    ],
    [
      'New York autumn DST day, second 01:30',
      NEW_YORK,
      '2026-11-01T01:30:00-05:00',
      '2026-11-01T00:00:00-04:00',
      ['2026-10-01T00:00:00-04:00', '2026-10-01T01:30:00-04:00'],
    ],
    [
      '31 May: the whole of April',
      NEW_YORK,
      '2026-05-31T08:00:00-04:00',
      '2026-05-01T00:00:00-04:00',
      ['2026-04-01T00:00:00-04:00', '2026-05-01T00:00:00-04:00'],
    ],
    [
      'Kiritimati 31 March',
      KIRITIMATI,
      '2026-03-31T05:00:00+14:00',
      '2026-03-01T00:00:00+14:00',
      ['2026-02-01T00:00:00+14:00', '2026-03-01T00:00:00+14:00'],
    ],
  ] as const)('%s', (_name, zone, now, monthFrom, lastMonth) => {
    expect(inZone(monthSoFar(new Date(now), zone), zone)).toEqual([monthFrom, now]);
    expect(inZone(lastMonthSamePoint(new Date(now), zone), zone)).toEqual(lastMonth);
  });
});

describe('customRange and previousRange', () => {
  it.each([
    [
      'a week with the spring DST day (dates, end inclusive)',
      BERLIN,
      '2026-03-23',
      '2026-03-29',
      ['2026-03-23T00:00:00+01:00', '2026-03-30T00:00:00+02:00'],
      ['2026-03-16T00:00:00+01:00', '2026-03-23T00:00:00+01:00'],
    ],
    [
      'March: the 31 days before',
      BERLIN,
      '2026-03-01',
      '2026-03-31',
      ['2026-03-01T00:00:00+01:00', '2026-04-01T00:00:00+02:00'],
      ['2026-01-29T00:00:00+01:00', '2026-03-01T00:00:00+01:00'],
    ],
    [
      'one day, 29 February',
      BERLIN,
      '2024-02-29',
      '2024-02-29',
      ['2024-02-29T00:00:00+01:00', '2024-03-01T00:00:00+01:00'],
      ['2024-02-28T00:00:00+01:00', '2024-02-29T00:00:00+01:00'],
    ],
    [
      'instants across the spring gap: elapsed time',
      BERLIN,
      '2026-03-29T01:00:00+01:00',
      '2026-03-29T04:00:00+02:00',
      ['2026-03-29T01:00:00+01:00', '2026-03-29T04:00:00+02:00'],
      ['2026-03-28T23:00:00+01:00', '2026-03-29T01:00:00+01:00'],
    ],
    [
      'New York autumn week',
      NEW_YORK,
      '2026-11-01',
      '2026-11-07',
      ['2026-11-01T00:00:00-04:00', '2026-11-08T00:00:00-05:00'],
      ['2026-10-25T00:00:00-04:00', '2026-11-01T00:00:00-04:00'],
    ],
    [
      'Tongatapu, New Year week',
      TONGATAPU,
      '2025-12-29',
      '2026-01-04',
      ['2025-12-29T00:00:00+13:00', '2026-01-05T00:00:00+13:00'],
      ['2025-12-22T00:00:00+13:00', '2025-12-29T00:00:00+13:00'],
    ],
  ] as const)('%s', (_name, zone, from, to, current, previous) => {
    const range = customRange(from, to, zone);
    expect(inZone(range, zone)).toEqual(current);
    expect(inZone(previousRange(range, zone), zone)).toEqual(previous);
  });

  it.each([['2026-02-30'], ['2026-03-01T10:00:00'], ['yesterday'], ['2026-13-01']])('rejects %s', (value) => {
    expect(() => customRange(value, '2026-03-31', BERLIN)).toThrow(RangeError);
  });
});

describe('yearOverYear: 364 days back on the wall clock, weekdays aligned', () => {
  it.each([
    [
      'Berlin spring DST Sunday to its 2025 counterpart (also a DST day)',
      BERLIN,
      ['2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00'],
      ['2025-03-30T00:00:00+01:00', '2025-03-31T00:00:00+02:00'],
    ],
    [
      '29 February to a Thursday in 2023',
      BERLIN,
      ['2024-02-29T10:00:00+01:00', '2024-03-01T00:00:00+01:00'],
      ['2023-03-02T10:00:00+01:00', '2023-03-03T00:00:00+01:00'],
    ],
    [
      'New York summer afternoon to the same wall clock in winter-free 2025',
      NEW_YORK,
      ['2026-07-01T00:00:00-04:00', '2026-07-01T15:30:00-04:00'],
      ['2025-07-02T00:00:00-04:00', '2025-07-02T15:30:00-04:00'],
    ],
    [
      'Berlin: a week in October that crosses DST in the year before',
      BERLIN,
      ['2026-10-19T00:00:00+02:00', '2026-10-26T00:00:00+01:00'],
      ['2025-10-20T00:00:00+02:00', '2025-10-27T00:00:00+01:00'],
    ],
    [
      'Kiritimati 31 December',
      KIRITIMATI,
      ['2026-12-31T00:00:00+14:00', '2027-01-01T00:00:00+14:00'],
      ['2026-01-01T00:00:00+14:00', '2026-01-02T00:00:00+14:00'],
    ],
  ] as const)('%s', (_name, zone, current, expected) => {
    const window = { from: new Date(current[0]), to: new Date(current[1]) };
    const previous = yearOverYear(window, zone);
    expect(inZone(previous, zone)).toEqual(expected);
    expect(isoWeekday(localDate(previous.from, zone))).toBe(isoWeekday(localDate(window.from, zone)));
  });
});

describe('cutAtNow: a range that reaches into the future ends at now', () => {
  const from = '2026-12-01T00:00:00+01:00';
  const to = '2026-12-02T00:00:00+01:00';
  it.each([
    ['ends before now: unchanged', '2026-12-02T08:34:00+01:00', to],
    ['ends at now exactly: unchanged', to, to],
    ['now inside: ends at now', '2026-12-01T08:34:00+01:00', '2026-12-01T08:34:00+01:00'],
    ['starts at now exactly: empty at its start', from, from],
    ['starts after now: empty at its start', '2026-11-30T12:00:00+01:00', from],
  ])('%s', (_name, now, cutTo) => {
    const window = cutAtNow({ from: new Date(from), to: new Date(to) }, new Date(now));
    expect(inZone(window, BERLIN)).toEqual([from, cutTo]);
  });
});

describe('comparisons cut at now, the comparison at the same wall-clock offset from its start', () => {
  const compare = { previous: comparedWithPreviousRange, yoy: comparedYearOverYear };
  it.each([
    // name, zone, comparison, from, to, now, current [from, to), comparison [from, to)
    [
      'yoy, 1 December at 00:00:01',
      BERLIN,
      'yoy',
      '2026-12-01',
      '2026-12-01',
      '2026-12-01T00:00:01+01:00',
      ['2026-12-01T00:00:00+01:00', '2026-12-01T00:00:01+01:00'],
      ['2025-12-02T00:00:00+01:00', '2025-12-02T00:00:01+01:00'],
    ],
    [
      'yoy, 1 December at 08:34: the same 8 h 34 min on the Tuesday 364 days earlier',
      BERLIN,
      'yoy',
      '2026-12-01',
      '2026-12-01',
      '2026-12-01T08:34:00+01:00',
      ['2026-12-01T00:00:00+01:00', '2026-12-01T08:34:00+01:00'],
      ['2025-12-02T00:00:00+01:00', '2025-12-02T08:34:00+01:00'],
    ],
    [
      'yoy, this month on 1 December at 08:34 (SPEC §2)',
      BERLIN,
      'yoy',
      '2026-12-01',
      '2026-12-31',
      '2026-12-01T08:34:00+01:00',
      ['2026-12-01T00:00:00+01:00', '2026-12-01T08:34:00+01:00'],
      ['2025-12-02T00:00:00+01:00', '2025-12-02T08:34:00+01:00'],
    ],
    [
      'yoy, 1 December at 23:59:59',
      BERLIN,
      'yoy',
      '2026-12-01',
      '2026-12-01',
      '2026-12-01T23:59:59+01:00',
      ['2026-12-01T00:00:00+01:00', '2026-12-01T23:59:59+01:00'],
      ['2025-12-02T00:00:00+01:00', '2025-12-02T23:59:59+01:00'],
    ],
    [
      'yoy, a range in the past is not cut',
      BERLIN,
      'yoy',
      '2026-12-01',
      '2026-12-01',
      '2026-12-02T00:00:00+01:00',
      ['2026-12-01T00:00:00+01:00', '2026-12-02T00:00:00+01:00'],
      ['2025-12-02T00:00:00+01:00', '2025-12-03T00:00:00+01:00'],
    ],
    [
      'yoy, a range in the future is empty, and so is its comparison',
      BERLIN,
      'yoy',
      '2026-12-02',
      '2026-12-03',
      '2026-12-01T08:34:00+01:00',
      ['2026-12-02T00:00:00+01:00', '2026-12-02T00:00:00+01:00'],
      ['2025-12-03T00:00:00+01:00', '2025-12-03T00:00:00+01:00'],
    ],
    [
      'range, 1 December at 00:00:01 against 24 November',
      BERLIN,
      'previous',
      '2026-12-01',
      '2026-12-07',
      '2026-12-01T00:00:01+01:00',
      ['2026-12-01T00:00:00+01:00', '2026-12-01T00:00:01+01:00'],
      ['2026-11-24T00:00:00+01:00', '2026-11-24T00:00:01+01:00'],
    ],
    [
      'range, 1 December at 08:34 against 30 November until 08:34',
      BERLIN,
      'previous',
      '2026-12-01',
      '2026-12-01',
      '2026-12-01T08:34:00+01:00',
      ['2026-12-01T00:00:00+01:00', '2026-12-01T08:34:00+01:00'],
      ['2026-11-30T00:00:00+01:00', '2026-11-30T08:34:00+01:00'],
    ],
    [
      'range, December on the 1st at 23:59:59: the 31 days before, to the same offset',
      BERLIN,
      'previous',
      '2026-12-01',
      '2026-12-31',
      '2026-12-01T23:59:59+01:00',
      ['2026-12-01T00:00:00+01:00', '2026-12-01T23:59:59+01:00'],
      ['2026-10-31T00:00:00+01:00', '2026-10-31T23:59:59+01:00'],
    ],
    [
      'range, a range in the future is empty, and so is its comparison',
      BERLIN,
      'previous',
      '2026-12-02',
      '2026-12-03',
      '2026-12-01T08:34:00+01:00',
      ['2026-12-02T00:00:00+01:00', '2026-12-02T00:00:00+01:00'],
      ['2026-11-30T00:00:00+01:00', '2026-11-30T00:00:00+01:00'],
    ],
    [
      'Berlin spring: the DST day until 15:00 (14 h) against Saturday until 15:00 (15 h)',
      BERLIN,
      'previous',
      '2026-03-29',
      '2026-03-29',
      '2026-03-29T15:00:00+02:00',
      ['2026-03-29T00:00:00+01:00', '2026-03-29T15:00:00+02:00'],
      ['2026-03-28T00:00:00+01:00', '2026-03-28T15:00:00+01:00'],
    ],
    [
      'Berlin spring: the week with the DST day, cut on Sunday noon, against last Sunday noon',
      BERLIN,
      'previous',
      '2026-03-23',
      '2026-03-29',
      '2026-03-29T12:00:00+02:00',
      ['2026-03-23T00:00:00+01:00', '2026-03-29T12:00:00+02:00'],
      ['2026-03-16T00:00:00+01:00', '2026-03-22T12:00:00+01:00'],
    ],
    [
      'Berlin spring: yoy right after the gap, on the DST day of 2025',
      BERLIN,
      'yoy',
      '2026-03-29',
      '2026-03-29',
      '2026-03-29T03:00:00+02:00',
      ['2026-03-29T00:00:00+01:00', '2026-03-29T03:00:00+02:00'],
      ['2025-03-30T00:00:00+01:00', '2025-03-30T03:00:00+02:00'],
    ],
    [
      'Berlin autumn: the 25-hour day at 23:59:59 against Saturday at 23:59:59',
      BERLIN,
      'previous',
      '2026-10-25',
      '2026-10-25',
      '2026-10-25T23:59:59+01:00',
      ['2026-10-25T00:00:00+02:00', '2026-10-25T23:59:59+01:00'],
      ['2026-10-24T00:00:00+02:00', '2026-10-24T23:59:59+02:00'],
    ],
    [
      'Berlin autumn: yoy in the repeated hour reads its first occurrence, as yesterdaySameTime does',
      BERLIN,
      'yoy',
      '2026-10-25',
      '2026-10-25',
      '2026-10-25T02:30:00+01:00',
      ['2026-10-25T00:00:00+02:00', '2026-10-25T02:30:00+01:00'],
      ['2025-10-26T00:00:00+02:00', '2025-10-26T02:30:00+02:00'],
    ],
    [
      'New York spring: the week cut right after the gap against last Sunday 03:00',
      NEW_YORK,
      'previous',
      '2026-03-02',
      '2026-03-08',
      '2026-03-08T03:00:00-04:00',
      ['2026-03-02T00:00:00-05:00', '2026-03-08T03:00:00-04:00'],
      ['2026-02-23T00:00:00-05:00', '2026-03-01T03:00:00-05:00'],
    ],
    [
      'New York spring: yoy at noon of the DST day',
      NEW_YORK,
      'yoy',
      '2026-03-08',
      '2026-03-08',
      '2026-03-08T12:00:00-04:00',
      ['2026-03-08T00:00:00-05:00', '2026-03-08T12:00:00-04:00'],
      ['2025-03-09T00:00:00-05:00', '2025-03-09T12:00:00-04:00'],
    ],
    [
      'New York autumn: yoy at 00:00:01 of the DST day',
      NEW_YORK,
      'yoy',
      '2026-11-01',
      '2026-11-01',
      '2026-11-01T00:00:01-04:00',
      ['2026-11-01T00:00:00-04:00', '2026-11-01T00:00:01-04:00'],
      ['2025-11-02T00:00:00-04:00', '2025-11-02T00:00:01-04:00'],
    ],
    [
      'New York autumn: yoy of the week with the DST day, cut on Wednesday afternoon',
      NEW_YORK,
      'yoy',
      '2026-11-01',
      '2026-11-07',
      '2026-11-04T15:00:00-05:00',
      ['2026-11-01T00:00:00-04:00', '2026-11-04T15:00:00-05:00'],
      ['2025-11-02T00:00:00-04:00', '2025-11-05T15:00:00-05:00'],
    ],
    [
      'New York autumn: the 25-hour day at 23:59:59 against Saturday at 23:59:59',
      NEW_YORK,
      'previous',
      '2026-11-01',
      '2026-11-01',
      '2026-11-01T23:59:59-05:00',
      ['2026-11-01T00:00:00-04:00', '2026-11-01T23:59:59-05:00'],
      ['2026-10-31T00:00:00-04:00', '2026-10-31T23:59:59-04:00'],
    ],
    [
      'instants across the spring gap: moved back by their elapsed length',
      BERLIN,
      'previous',
      '2026-03-29T01:00:00+01:00',
      '2026-03-29T04:00:00+02:00',
      '2026-03-29T03:30:00+02:00',
      ['2026-03-29T01:00:00+01:00', '2026-03-29T03:30:00+02:00'],
      ['2026-03-28T23:00:00+01:00', '2026-03-29T00:30:00+01:00'],
    ],
    [
      'Santiago: a week that starts at 01:00 (midnight skipped) against the week from Sunday 00:00',
      SANTIAGO,
      'previous',
      '2026-09-06',
      '2026-09-12',
      '2026-09-08T10:00:00-03:00',
      ['2026-09-06T01:00:00-03:00', '2026-09-08T10:00:00-03:00'],
      ['2026-08-30T00:00:00-04:00', '2026-09-01T10:00:00-04:00'],
    ],
  ] as const)('%s', (_name, zone, kind, from, to, now, current, previous) => {
    const windows = compare[kind](customRange(from, to, zone), new Date(now), zone);
    expect(inZone(windows.current, zone)).toEqual(current);
    expect(inZone(windows.previous, zone)).toEqual(previous);
  });

  it.each([
    ['previous', comparedWithPreviousRange, previousRange],
    ['yoy', comparedYearOverYear, yearOverYear],
  ] as const)('%s: a range that ended before now is compared in full', (_name, compared, full) => {
    const range = customRange('2026-03-23', '2026-03-29', BERLIN);
    const windows = compared(range, new Date('2026-03-30T08:00:00+02:00'), BERLIN);
    expect(windows).toEqual({ current: range, previous: full(range, BERLIN) });
  });
});

describe('quarters', () => {
  it.each([
    [
      'last second of Q1, Berlin',
      BERLIN,
      '2026-03-31T23:59:59+02:00',
      '2026-Q1',
      '2026-01-01T00:00:00+01:00',
      '2026-04-01T00:00:00+02:00',
      90,
    ],
    [
      'first instant of Q2, Berlin',
      BERLIN,
      '2026-04-01T00:00:00+02:00',
      '2026-Q2',
      '2026-04-01T00:00:00+02:00',
      '2026-07-01T00:00:00+02:00',
      91,
    ],
    [
      'leap Q1',
      BERLIN,
      '2024-02-29T12:00:00+01:00',
      '2024-Q1',
      '2024-01-01T00:00:00+01:00',
      '2024-04-01T00:00:00+02:00',
      91,
    ],
    [
      'New York Q4 across autumn DST',
      NEW_YORK,
      '2026-12-31T23:00:00-05:00',
      '2026-Q4',
      '2026-10-01T00:00:00-04:00',
      '2027-01-01T00:00:00-05:00',
      92,
    ],
    [
      'Kiritimati is already in next year',
      KIRITIMATI,
      '2027-01-01T02:00:00+14:00',
      '2027-Q1',
      '2027-01-01T00:00:00+14:00',
      '2027-04-01T00:00:00+14:00',
      90,
    ],
  ])('%s', (_name, zone, now, quarter, from, to, days) => {
    const window = quarterOf(new Date(now), zone);
    expect({ quarter: window.quarter, days: window.days }).toEqual({ quarter, days });
    expect(inZone(window, zone)).toEqual([from, to]);
    expect(inZone(parseQuarter(quarter, zone), zone)).toEqual([from, to]);
  });

  it('rejects a malformed quarter', () => {
    expect(() => parseQuarter('2026-Q5', BERLIN)).toThrow(RangeError);
  });
});

describe('lastDays', () => {
  it.each([
    [
      '3 days over the spring DST day',
      BERLIN,
      '2026-03-30T10:00:00+02:00',
      3,
      '2026-03-28T00:00:00+01:00',
      ['2026-03-28', '2026-03-29', '2026-03-30'],
    ],
    [
      '2 days at midnight exactly, 1 March of a leap year',
      BERLIN,
      '2024-03-01T00:00:00+01:00',
      2,
      '2024-02-29T00:00:00+01:00',
      ['2024-02-29', '2024-03-01'],
    ],
    ['1 day, Kiritimati', KIRITIMATI, '2026-01-01T00:00:00+14:00', 1, '2026-01-01T00:00:00+14:00', ['2026-01-01']],
  ])('%s', (_name, zone, now, days, from, dates) => {
    const window = lastDays(new Date(now), zone, days);
    expect(inZone(window, zone)).toEqual([from, now]);
    expect(window.dates).toEqual(dates);
  });
});
