import { type TitleRollupState, type WindowPart, windowParts } from './window-parts';

const clean: TitleRollupState = { daysInZone: true, dirtyDays: [], dirtyHours: [] };
const at = (iso: string) => new Date(iso);
const stretch = (idx: number, from: string, to: string, sign: 1 | -1 = 1): WindowPart => ({
  idx,
  from: at(from),
  to: at(to),
  sign,
});

describe('windowParts', () => {
  it('reads whole days from the daily rollups, whole hours from the hourly ones, and the minutes from the lines', () => {
    // 1 March 00:00 Berlin (CET) to 10 March 10:30 (09:30 UTC).
    const parts = windowParts(
      [{ from: at('2026-02-28T23:00:00Z'), to: at('2026-03-10T09:30:00Z') }],
      'Europe/Berlin',
      clean,
    );
    expect(parts).toEqual({
      months: [],
      days: [{ idx: 1, first: '2026-03-01', end: '2026-03-10', sign: 1 }],
      hours: [stretch(1, '2026-03-09T23:00:00Z', '2026-03-10T09:00:00Z')],
      raw: [stretch(1, '2026-03-10T09:00:00Z', '2026-03-10T09:30:00Z')],
    });
  });

  it('reads a ragged start as minutes, then whole hours up to the first whole day', () => {
    const parts = windowParts(
      [{ from: at('2026-03-01T13:15:00Z'), to: at('2026-03-02T23:00:00Z') }],
      'Europe/Berlin',
      clean,
    );
    expect(parts).toEqual({
      months: [],
      days: [{ idx: 1, first: '2026-03-02', end: '2026-03-03', sign: 1 }],
      hours: [stretch(1, '2026-03-01T14:00:00Z', '2026-03-01T23:00:00Z')],
      raw: [stretch(1, '2026-03-01T13:15:00Z', '2026-03-01T14:00:00Z')],
    });
  });

  it('reads most of a clean day as the whole day less its rest, at either end of a window', () => {
    // Today so far at 14:30 Berlin: the day's row less 14:30–24:00; and a window from 1 March 01:00.
    const parts = windowParts(
      [
        { from: at('2026-03-09T23:00:00Z'), to: at('2026-03-10T13:30:00Z') },
        { from: at('2026-03-01T00:00:00Z'), to: at('2026-03-02T23:00:00Z') },
      ],
      'Europe/Berlin',
      clean,
    );
    expect(parts).toEqual({
      months: [],
      days: [
        { idx: 1, first: '2026-03-10', end: '2026-03-11', sign: 1 },
        { idx: 2, first: '2026-03-01', end: '2026-03-03', sign: 1 },
      ],
      hours: [
        stretch(1, '2026-03-10T14:00:00Z', '2026-03-10T23:00:00Z', -1),
        stretch(2, '2026-02-28T23:00:00Z', '2026-03-01T00:00:00Z', -1),
      ],
      raw: [stretch(1, '2026-03-10T13:30:00Z', '2026-03-10T14:00:00Z', -1)],
    });
    // A dirty day is never read whole: the same window's hours and minutes instead.
    expect(
      windowParts([{ from: at('2026-03-09T23:00:00Z'), to: at('2026-03-10T13:30:00Z') }], 'Europe/Berlin', {
        ...clean,
        dirtyDays: ['2026-03-10'],
      }),
    ).toEqual({
      months: [],
      days: [],
      hours: [stretch(1, '2026-03-09T23:00:00Z', '2026-03-10T13:00:00Z')],
      raw: [stretch(1, '2026-03-10T13:00:00Z', '2026-03-10T13:30:00Z')],
    });
  });

  it('reads a dirty day from the hourly rollups and a dirty hour from the lines, for each window', () => {
    const parts = windowParts(
      [
        { from: at('2026-03-01T23:00:00Z'), to: at('2026-03-04T23:00:00Z') },
        { from: at('2026-02-26T23:00:00Z'), to: at('2026-03-01T23:00:00Z') },
      ],
      'Europe/Berlin',
      { daysInZone: true, dirtyDays: ['2026-03-03'], dirtyHours: [at('2026-03-03T05:00:00Z')] },
    );
    expect(parts).toEqual({
      months: [],
      days: [
        { idx: 1, first: '2026-03-02', end: '2026-03-05', sign: 1 },
        { idx: 2, first: '2026-02-27', end: '2026-03-02', sign: 1 },
      ],
      hours: [
        stretch(1, '2026-03-02T23:00:00Z', '2026-03-03T05:00:00Z'),
        stretch(1, '2026-03-03T06:00:00Z', '2026-03-03T23:00:00Z'),
      ],
      raw: [stretch(1, '2026-03-03T05:00:00Z', '2026-03-03T06:00:00Z')],
    });
  });

  it('reads everything below days while the daily rollups are of another zone, hours never across midnight', () => {
    // Kolkata (UTC+5:30): local midnight is 18:30 UTC, so the hour 18:00–19:00 UTC spans two local days.
    const parts = windowParts([{ from: at('2026-03-01T18:30:00Z'), to: at('2026-03-03T18:30:00Z') }], 'Asia/Kolkata', {
      daysInZone: false,
      dirtyDays: [],
      dirtyHours: [],
    });
    expect(parts).toEqual({
      months: [],
      days: [],
      hours: [
        stretch(1, '2026-03-01T19:00:00Z', '2026-03-02T18:00:00Z'),
        stretch(1, '2026-03-02T19:00:00Z', '2026-03-03T18:00:00Z'),
      ],
      raw: [
        stretch(1, '2026-03-01T18:30:00Z', '2026-03-01T19:00:00Z'),
        stretch(1, '2026-03-02T18:00:00Z', '2026-03-02T19:00:00Z'),
        stretch(1, '2026-03-03T18:00:00Z', '2026-03-03T18:30:00Z'),
      ],
    });
  });

  it('reads whole months from the monthly rollups and the days around them from the daily ones', () => {
    // 10 January 00:00 Berlin to 5 April 00:00: January's tail, February and March whole, April's head.
    const window = { from: at('2026-01-09T23:00:00Z'), to: at('2026-04-04T22:00:00Z') };
    // January's 22 days are January's row less its first 9 days; April's 4 days are read as they are.
    expect(windowParts([window], 'Europe/Berlin', clean)).toEqual({
      months: [{ idx: 1, first: '2026-01-01', end: '2026-04-01', sign: 1 }],
      days: [
        { idx: 1, first: '2026-01-01', end: '2026-01-10', sign: -1 },
        { idx: 1, first: '2026-04-01', end: '2026-04-05', sign: 1 },
      ],
      hours: [],
      raw: [],
    });
    // Per day (the title page's series) every day comes from the daily rollups.
    expect(windowParts([window], 'Europe/Berlin', clean, { months: false })).toEqual({
      months: [],
      days: [{ idx: 1, first: '2026-01-10', end: '2026-04-05', sign: 1 }],
      hours: [],
      raw: [],
    });
  });

  it('reads most of a clean month as the month less its other days, at either end, never a dirty month', () => {
    // A year from 2 December 2025 00:00 Berlin to 30 November 2026 00:00, and 3–20 March within one month.
    const windows = [
      { from: at('2025-12-01T23:00:00Z'), to: at('2026-11-29T23:00:00Z') },
      { from: at('2026-03-02T23:00:00Z'), to: at('2026-03-20T23:00:00Z') },
    ];
    expect(windowParts(windows, 'Europe/Berlin', clean)).toEqual({
      months: [
        { idx: 1, first: '2025-12-01', end: '2026-12-01', sign: 1 },
        { idx: 2, first: '2026-03-01', end: '2026-04-01', sign: 1 },
      ],
      days: [
        { idx: 1, first: '2025-12-01', end: '2025-12-02', sign: -1 },
        { idx: 1, first: '2026-11-30', end: '2026-12-01', sign: -1 },
        { idx: 2, first: '2026-03-01', end: '2026-03-03', sign: -1 },
        { idx: 2, first: '2026-03-21', end: '2026-04-01', sign: -1 },
      ],
      hours: [],
      raw: [],
    });
    // A dirty day anywhere in December (also before the window): its days as they are.
    const dirty = windowParts([windows[0]!], 'Europe/Berlin', { ...clean, dirtyDays: ['2025-12-01'] });
    expect(dirty.months).toEqual([{ idx: 1, first: '2026-01-01', end: '2026-12-01', sign: 1 }]);
    expect(dirty.days).toEqual([
      { idx: 1, first: '2025-12-02', end: '2026-01-01', sign: 1 },
      { idx: 1, first: '2026-11-30', end: '2026-12-01', sign: -1 },
    ]);
  });

  it('reads a month with a dirty day from its days, the dirty one below days', () => {
    // 1 January 00:00 Berlin to 1 April 00:00, 15 February dirty.
    const parts = windowParts([{ from: at('2025-12-31T23:00:00Z'), to: at('2026-03-31T22:00:00Z') }], 'Europe/Berlin', {
      daysInZone: true,
      dirtyDays: ['2026-02-15'],
      dirtyHours: [],
    });
    expect(parts).toEqual({
      months: [
        { idx: 1, first: '2026-01-01', end: '2026-02-01', sign: 1 },
        { idx: 1, first: '2026-03-01', end: '2026-04-01', sign: 1 },
      ],
      days: [{ idx: 1, first: '2026-02-01', end: '2026-03-01', sign: 1 }],
      hours: [stretch(1, '2026-02-14T23:00:00Z', '2026-02-15T23:00:00Z')],
      raw: [],
    });
  });

  it('gives an empty window nothing to read, and a window inside one hour only minutes', () => {
    const parts = windowParts(
      [
        { from: at('2026-03-01T10:00:00Z'), to: at('2026-03-01T10:00:00Z') },
        { from: at('2026-03-01T10:05:00Z'), to: at('2026-03-01T10:55:00Z') },
      ],
      'Europe/Berlin',
      clean,
    );
    expect(parts).toEqual({
      months: [],
      days: [],
      hours: [],
      raw: [stretch(2, '2026-03-01T10:05:00Z', '2026-03-01T10:55:00Z')],
    });
  });
});
