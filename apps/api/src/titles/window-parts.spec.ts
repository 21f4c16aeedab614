import { type TitleRollupState, type WindowPart, windowParts } from './window-parts';

const clean: TitleRollupState = { daysInZone: true, dirtyDays: [], dirtyHours: [] };
const at = (iso: string) => new Date(iso);
const stretch = (idx: number, from: string, to: string): WindowPart => ({ idx, from: at(from), to: at(to) });

describe('windowParts', () => {
  it('reads whole days from the daily rollups, whole hours from the hourly ones, and the minutes from the lines', () => {
    // 1 March 00:00 Berlin (CET) to 10 March 14:30 (13:30 UTC).
    const parts = windowParts(
      [{ from: at('2026-02-28T23:00:00Z'), to: at('2026-03-10T13:30:00Z') }],
      'Europe/Berlin',
      clean,
    );
    expect(parts).toEqual({
      months: [],
      days: [{ idx: 1, first: '2026-03-01', end: '2026-03-10' }],
      hours: [stretch(1, '2026-03-09T23:00:00Z', '2026-03-10T13:00:00Z')],
      raw: [stretch(1, '2026-03-10T13:00:00Z', '2026-03-10T13:30:00Z')],
    });
  });

  it('reads a ragged start as minutes, then whole hours up to the first whole day', () => {
    const parts = windowParts(
      [{ from: at('2026-03-01T10:15:00Z'), to: at('2026-03-02T23:00:00Z') }],
      'Europe/Berlin',
      clean,
    );
    expect(parts).toEqual({
      months: [],
      days: [{ idx: 1, first: '2026-03-02', end: '2026-03-03' }],
      hours: [stretch(1, '2026-03-01T11:00:00Z', '2026-03-01T23:00:00Z')],
      raw: [stretch(1, '2026-03-01T10:15:00Z', '2026-03-01T11:00:00Z')],
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
        { idx: 1, first: '2026-03-02', end: '2026-03-05' },
        { idx: 2, first: '2026-02-27', end: '2026-03-02' },
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
    expect(windowParts([window], 'Europe/Berlin', clean)).toEqual({
      months: [{ idx: 1, first: '2026-02-01', end: '2026-04-01' }],
      days: [
        { idx: 1, first: '2026-01-10', end: '2026-02-01' },
        { idx: 1, first: '2026-04-01', end: '2026-04-05' },
      ],
      hours: [],
      raw: [],
    });
    // Per day (the title page's series) every day comes from the daily rollups.
    expect(windowParts([window], 'Europe/Berlin', clean, { months: false })).toEqual({
      months: [],
      days: [{ idx: 1, first: '2026-01-10', end: '2026-04-05' }],
      hours: [],
      raw: [],
    });
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
        { idx: 1, first: '2026-01-01', end: '2026-02-01' },
        { idx: 1, first: '2026-03-01', end: '2026-04-01' },
      ],
      days: [{ idx: 1, first: '2026-02-01', end: '2026-03-01' }],
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
