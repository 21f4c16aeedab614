import type { TodayVsYesterdayResponse } from './analytics';
import { figuresInclude, heroWithShares } from './live-hero';

function hero(today: [number, number], yesterday: [number, number]): TodayVsYesterdayResponse {
  const window = (from: string, [orders, revenue]: [number, number]) => ({
    from,
    to: from,
    orders,
    revenue,
    aov: orders ? revenue / orders : null,
  });
  return {
    timezone: 'Europe/Berlin',
    currency: 'USD',
    asOf: '2026-03-10T13:00:00+01:00',
    today: window('2026-03-10T00:00:00+01:00', today),
    yesterday: window('2026-03-09T00:00:00+01:00', yesterday),
    yesterdayFullDay: window('2026-03-09T00:00:00+01:00', yesterday),
    change: { orders: null, revenue: null, aov: null },
    warnings: [],
  };
}

const share = (revenue: string, commit = '200') => ({ day: '2026-03-10', orders: 1, revenue, commit });

describe('figuresInclude (a commit against the snapshot of the figures)', () => {
  it.each([
    ['100:105:', '99', true],
    ['100:105:', '100', true],
    ['100:105:102,104', '102', false],
    ['100:105:102,104', '103', true],
    ['100:105:102,104', '105', false],
    ['100:100:', '100', false],
    ['4294967396:4294967400:', '4294967399', true],
  ])('snapshot %s, commit %s: %s', (watermark, commit, included) => {
    expect(figuresInclude(watermark, commit)).toBe(included);
  });
});

describe('heroWithShares', () => {
  it('adds the shares the figures do not include, in cents, and works out AOV and the changes as PostgreSQL rounds', () => {
    const shown = heroWithShares(hero([2, 20.1], [3, 30]), '150:150:', [share('0.10'), share('0.20', '149')]);
    // 20.10 + 0.10 over 3 orders: 6.7333… → 6.73; orders 3 vs 3: 0 %; revenue 20.20 vs 30: −32.666… → −32.67 %;
    // AOV 6.7333… vs 10: −32.666… → −32.67 %.
    expect(shown.today).toEqual({ ...shown.today, orders: 3, revenue: 20.2, aov: 6.73 });
    expect(shown.change).toEqual({ orders: 0, revenue: -32.67, aov: -32.67 });
  });

  it('rounds half away from zero, and has no change against a yesterday without orders', () => {
    const shown = heroWithShares(hero([0, 0], [0, 0]), '150:150:', [share('0.01'), share('0.02', '151')]);
    // 0.03 over 2 orders: 0.015 → 0.02.
    expect(shown.today.aov).toBe(0.02);
    expect(shown.change).toEqual({ orders: null, revenue: null, aov: null });
  });

  it('returns the figures themselves when no share adds to today', () => {
    const figures = hero([2, 20], [1, 10]);
    const otherDay = { ...share('5.00'), day: '2026-03-09' };
    expect(heroWithShares(figures, '250:250:', [share('1.00'), otherDay])).toBe(figures);
  });
});
