import {
  customRange,
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
