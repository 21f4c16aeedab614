import {
  addDays,
  addWallClockDays,
  daysBetween,
  fromLocal,
  isInstant,
  parseInstant,
  localDate,
  startOfIsoWeek,
  startOfLocalDay,
  toZonedIso,
  zoneOffsetMs,
} from './index';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

describe('localDate: the calendar day of an instant in the zone', () => {
  it.each([
    ['one second before Berlin midnight', '2026-03-29T21:59:59Z', BERLIN, '2026-03-29'],
    ['Berlin midnight exactly', '2026-03-29T22:00:00Z', BERLIN, '2026-03-30'],
    ['31 December in New York is 1 January in UTC', '2027-01-01T04:59:59Z', NEW_YORK, '2026-12-31'],
    ['Kiritimati is a day ahead of UTC', '2026-03-31T10:00:00Z', 'Pacific/Kiritimati', '2026-04-01'],
    ['29 February', '2024-02-29T12:00:00Z', 'Pacific/Tongatapu', '2024-03-01'],
  ])('%s', (_name, instant, zone, expected) => {
    expect(localDate(new Date(instant), zone)).toBe(expected);
  });
});

describe('startOfLocalDay', () => {
  it.each([
    ['Berlin spring DST day', '2026-03-29', BERLIN, '2026-03-29T00:00:00+01:00'],
    ['Berlin day after', '2026-03-30', BERLIN, '2026-03-30T00:00:00+02:00'],
    ['New York autumn DST day', '2026-11-01', NEW_YORK, '2026-11-01T00:00:00-04:00'],
    // Chile springs forward at midnight: the day starts at 01:00.
    ['Santiago, midnight skipped', '2026-09-06', 'America/Santiago', '2026-09-06T01:00:00-03:00'],
    ['Tongatapu', '2026-01-01', 'Pacific/Tongatapu', '2026-01-01T00:00:00+13:00'],
  ])('%s', (_name, date, zone, expected) => {
    expect(toZonedIso(startOfLocalDay(date, zone), zone)).toBe(expected);
  });
});

describe('fromLocal: wall clock to instant', () => {
  it.each([
    ['gap: 02:30 on the Berlin spring day is 03:30 CEST', BERLIN, '2026-03-29', 2, 30, '2026-03-29T01:30:00.000Z'],
    [
      'overlap: 02:30 on the Berlin autumn day is the first one',
      BERLIN,
      '2026-10-25',
      2,
      30,
      '2026-10-25T00:30:00.000Z',
    ],
    ['overlap: 01:30 on the New York autumn day is EDT', NEW_YORK, '2026-11-01', 1, 30, '2026-11-01T05:30:00.000Z'],
    ['gap: 02:15 on the New York spring day is 03:15 EDT', NEW_YORK, '2026-03-08', 2, 15, '2026-03-08T07:15:00.000Z'],
  ])('%s', (_name, zone, date, hour, minute, expected) => {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    expect(fromLocal({ year, month, day, hour, minute, second: 0, millisecond: 0 }, zone).toISOString()).toBe(expected);
  });
});

describe('addWallClockDays keeps the wall-clock time', () => {
  it.each([
    ['Berlin over spring DST: 23 h', BERLIN, '2026-03-28T12:00:00+01:00', 1, '2026-03-29T12:00:00+02:00', 23],
    ['Berlin over autumn DST: 25 h', BERLIN, '2026-10-24T12:00:00+02:00', 1, '2026-10-25T12:00:00+01:00', 25],
    ['New York back over spring DST', NEW_YORK, '2026-03-09T00:00:00-04:00', -1, '2026-03-08T00:00:00-05:00', -23],
    ['Berlin 364 days back', BERLIN, '2026-07-01T09:00:00+02:00', -364, '2025-07-02T09:00:00+02:00', -364 * 24],
  ])('%s', (_name, zone, instant, days, expected, elapsedHours) => {
    const shifted = addWallClockDays(new Date(instant), days, zone);
    expect(toZonedIso(shifted, zone)).toBe(expected);
    expect((shifted.getTime() - new Date(instant).getTime()) / 3_600_000).toBe(elapsedHours);
  });
});

describe('calendar helpers', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-31', -31, '2026-02-28'],
  ])('addDays(%s, %d) = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
    expect(daysBetween(date, expected)).toBe(days);
  });

  it.each([
    ['2026-03-30', '2026-03-30'], // Monday
    ['2026-03-29', '2026-03-23'], // Sunday
    ['2027-01-01', '2026-12-28'], // Friday, ISO week across the year
  ])('startOfIsoWeek(%s) = %s', (date, monday) => {
    expect(startOfIsoWeek(date)).toBe(monday);
  });

  it.each([
    ['2026-03-29T00:59:59.999Z', BERLIN, '2026-03-29T01:59:59.999+01:00', 60],
    ['2026-03-29T01:00:00Z', BERLIN, '2026-03-29T03:00:00+02:00', 120],
    ['2026-06-01T00:00:00Z', 'Asia/Kolkata', '2026-06-01T05:30:00+05:30', 330],
    ['2026-06-01T00:00:00Z', NEW_YORK, '2026-05-31T20:00:00-04:00', -240],
    // Lord Howe moves by half an hour at 15:30Z, in the middle of a UTC hour.
    ['2026-10-03T15:29:59.999Z', 'Australia/Lord_Howe', '2026-10-04T01:59:59.999+10:30', 630],
    ['2026-10-03T15:30:00Z', 'Australia/Lord_Howe', '2026-10-04T02:30:00+11:00', 660],
    ['2026-10-03T15:00:00Z', 'Australia/Lord_Howe', '2026-10-04T01:30:00+10:30', 630],
  ])('toZonedIso(%s, %s) = %s', (instant, zone, expected, offsetMinutes) => {
    expect(toZonedIso(new Date(instant), zone)).toBe(expected);
    expect(zoneOffsetMs(new Date(instant), zone)).toBe(offsetMinutes * 60_000);
  });
});

describe('parseInstant: ISO 8601 with an offset, on a real date', () => {
  it.each([
    ['2026-03-31T14:30:00+02:00', '2026-03-31T12:30:00.000Z'],
    ['2026-03-31T14:30+02:00', '2026-03-31T12:30:00.000Z'],
    ['2026-03-31T12:30:00.5Z', '2026-03-31T12:30:00.500Z'],
    ['2026-11-01T01:30:00-05:00', '2026-11-01T06:30:00.000Z'],
  ])('%s', (value, utc) => {
    expect(parseInstant(value).toISOString()).toBe(utc);
    expect(isInstant(value)).toBe(true);
  });

  it.each([
    ["no offset (it would mean the reader's zone)", '2026-03-31T14:30:00'],
    ['a date alone', '2026-03-31'],
    ['30 February (Date would roll it to March)', '2026-02-30T10:00:00Z'],
    ['24:00', '2026-03-31T24:00:00Z'],
    ['minute 60', '2026-03-31T23:60:00Z'],
    ['an offset without a colon', '2026-03-31T14:30:00+0200'],
    ['a space instead of T', '2026-03-31 14:30:00Z'],
    ['words', 'noon'],
  ])('rejects %s', (_name, value) => {
    expect(() => parseInstant(value)).toThrow(RangeError);
    expect(isInstant(value)).toBe(false);
  });
});
