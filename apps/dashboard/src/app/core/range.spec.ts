import {
  DEFAULT_PRESET,
  PRESETS,
  RangeView,
  describeDays,
  describeWindow,
  parseRangeQuery,
  rangeQueryParams,
  resolveRange,
  toIsoDay,
  viewLabel,
} from './range';

describe('the range of the page', () => {
  it.each([
    ['today', { from: '2026-12-02', to: '2026-12-02' }],
    ['yesterday', { from: '2026-12-01', to: '2026-12-01' }],
    ['last-7-days', { from: '2026-11-26', to: '2026-12-02' }],
    ['last-30-days', { from: '2026-11-03', to: '2026-12-02' }],
    // 2 Dec 2026 is a Wednesday: weeks start on Monday.
    ['this-week', { from: '2026-11-30', to: '2026-12-02' }],
    ['last-week', { from: '2026-11-23', to: '2026-11-29' }],
    ['this-month', { from: '2026-12-01', to: '2026-12-02' }],
    ['last-month', { from: '2026-11-01', to: '2026-11-30' }],
    ['quarter-to-date', { from: '2026-10-01', to: '2026-12-02' }],
    ['year-to-date', { from: '2026-01-01', to: '2026-12-02' }],
  ] as const)('resolves %s on Wednesday 2 Dec 2026', (preset, days) => {
    expect(resolveRange({ preset, compare: 'previous' }, '2026-12-02')).toEqual(days);
  });

  it('has every preset of SPEC §6', () => {
    expect(PRESETS.map((preset) => preset.label)).toEqual([
      'Today',
      'Yesterday',
      'Last 7 days',
      'Last 30 days',
      'This week',
      'Last week',
      'This month',
      'Last month',
      'Quarter to date',
      'Year to date',
    ]);
  });

  it.each([
    ['January: last month is December of the year before', '2027-01-15', { from: '2026-12-01', to: '2026-12-31' }],
    ['March: last month is February, 28 days', '2027-03-31', { from: '2027-02-01', to: '2027-02-28' }],
  ] as const)('%s', (_name, today, days) => {
    expect(resolveRange({ preset: 'last-month', compare: 'yoy' }, today)).toEqual(days);
  });

  it('on a Monday, this week is that day and last week the seven before', () => {
    expect(resolveRange({ preset: 'this-week', compare: 'previous' }, '2026-11-30')).toEqual({
      from: '2026-11-30',
      to: '2026-11-30',
    });
    expect(resolveRange({ preset: 'last-week', compare: 'previous' }, '2026-11-30')).toEqual({
      from: '2026-11-23',
      to: '2026-11-29',
    });
  });

  it.each<[string, Parameters<typeof parseRangeQuery>[0], RangeView]>([
    ['nothing: the last 30 days vs the period before', {}, { preset: 'last-30-days', compare: 'previous' }],
    ['a preset year over year', { range: 'last-month', compare: 'yoy' }, { preset: 'last-month', compare: 'yoy' }],
    [
      'days',
      { from: '2026-11-01', to: '2026-11-07' },
      { preset: 'custom', custom: { from: '2026-11-01', to: '2026-11-07' }, compare: 'previous' },
    ],
    ['an unknown preset', { range: 'fortnight', compare: 'later' }, { preset: DEFAULT_PRESET, compare: 'previous' }],
    [
      'days the wrong way round',
      { from: '2026-11-07', to: '2026-11-01' },
      { preset: DEFAULT_PRESET, compare: 'previous' },
    ],
    [
      'a day that does not exist',
      { from: '2026-02-30', to: '2026-03-02' },
      { preset: DEFAULT_PRESET, compare: 'previous' },
    ],
  ])('reads the URL: %s', (_name, query, view) => {
    expect(parseRangeQuery(query)).toEqual(view);
  });

  it.each<RangeView>([
    { preset: 'last-month', compare: 'yoy' },
    { preset: 'today', compare: 'previous' },
    { preset: 'custom', custom: { from: '2026-11-01', to: '2026-11-07' }, compare: 'yoy' },
  ])('writes a view into the URL and reads the same view back: %o', (view) => {
    const params = rangeQueryParams(view);
    const query = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== null));
    expect(parseRangeQuery(query)).toEqual(view);
  });

  it('leaves the default view out of the URL', () => {
    expect(rangeQueryParams({ preset: DEFAULT_PRESET, compare: 'previous' })).toEqual({
      range: null,
      from: null,
      to: null,
      compare: null,
    });
  });

  it('names the view: the preset, or its days', () => {
    expect(viewLabel({ preset: 'quarter-to-date', compare: 'previous' })).toBe('Quarter to date');
    expect(viewLabel({ preset: 'custom', custom: { from: '2026-11-01', to: '2026-11-07' }, compare: 'yoy' })).toBe(
      'Nov 1 – 7, 2026',
    );
  });

  it('sends the picked calendar day, whatever the browser zone', () => {
    expect(toIsoDay(new Date(2026, 2, 29, 23, 30))).toBe('2026-03-29');
  });
});

describe('the days a window covers', () => {
  it.each([
    ['a week of whole days ends on its last day', '2026-11-30T23:00:00Z', '2026-12-07T23:00:00Z', 'Dec 1 – 7, 2026'],
    ['a range cut at now ends today', '2026-11-30T23:00:00Z', '2026-12-02T07:34:00Z', 'Dec 1 – 2, 2026'],
    ['one whole day is that day', '2026-12-01T23:00:00Z', '2026-12-02T23:00:00Z', 'Dec 2, 2026'],
    // A range that starts after now is cut to nothing: it used to read "2 Dec – 1 Dec".
    ['an empty window is the day it starts', '2026-12-01T23:00:00Z', '2026-12-01T23:00:00Z', 'Dec 2, 2026'],
    ['across a new year, both years', '2025-12-28T23:00:00Z', '2026-01-04T23:00:00Z', 'Dec 29, 2025 – Jan 4, 2026'],
  ])('%s', (_name, from, to, text) => {
    expect(describeWindow(from, to, 'Europe/Berlin')).toBe(text);
  });

  it('writes inclusive days', () => {
    expect(describeDays('2026-11-01', '2026-11-01')).toBe('Nov 1, 2026');
  });
});
