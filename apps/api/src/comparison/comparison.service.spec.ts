import { BadRequestException } from '@nestjs/common';
import { toZonedIso } from '@mt/periods';
import { loadConfig } from '../config/app-config';
import {
  ComparedGroupFigures,
  SalesRepository,
  SeriesUnit,
  WindowFigures,
  WindowSpec,
} from '../sales/sales.repository';
import { ComparisonService } from './comparison.service';

const ZONE = 'Europe/Berlin';

/** A strict fake: records what the service asks for and answers with empty figures. */
class FakeRepository {
  windowCalls: WindowSpec[][] = [];
  seriesCalls: Array<[SeriesUnit, string, string]> = [];
  platformsAnswer: Array<ComparedGroupFigures & { hasOrders: boolean }> = [];

  async windows(specs: WindowSpec[]): Promise<WindowFigures[]> {
    this.windowCalls.push(specs);
    return specs.map((s) => figures(s.from, s.to, null));
  }

  async series(unit: SeriesUnit, first: string, last: string, now: Date): Promise<WindowFigures[]> {
    this.seriesCalls.push([unit, first, last]);
    return [figures(now, now, 'base'), figures(now, now, last)];
  }

  async platforms(): Promise<Array<ComparedGroupFigures & { hasOrders: boolean }>> {
    return this.platformsAnswer;
  }

  async warnings(): Promise<[]> {
    return [];
  }
}

function figures(from: Date, to: Date, label: string | null): WindowFigures {
  return {
    label,
    from,
    to,
    orders: 0,
    revenue: 0,
    aov: null,
    ordersChange: null,
    revenueChange: null,
    aovChange: null,
  };
}

const unchanged = { previous: { orders: 0, revenue: 0 }, change: { orders: null, revenue: null } };

function setup(): { service: ComparisonService; repository: FakeRepository } {
  const repository = new FakeRepository();
  const config = loadConfig({ BUSINESS_TIMEZONE: ZONE, DATABASE_URL: 'postgres://x@localhost/x' });
  return { service: new ComparisonService(repository as unknown as SalesRepository, config), repository };
}

function zoned(specs: WindowSpec[]): Array<[string, string, number | null]> {
  return specs.map((s) => [toZonedIso(s.from, ZONE), toZonedIso(s.to, ZONE), s.previous]);
}

describe('ComparisonService', () => {
  it('asks for today, yesterday at the same time and yesterday in full, today measured against yesterday', async () => {
    const { service, repository } = setup();
    const response = await service.todayVsYesterday(new Date('2026-03-30T10:00:00+02:00'));
    expect(zoned(repository.windowCalls[0]!)).toEqual([
      ['2026-03-30T00:00:00+02:00', '2026-03-30T10:00:00+02:00', 1],
      ['2026-03-29T00:00:00+01:00', '2026-03-29T10:00:00+02:00', null],
      ['2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00', null],
    ]);
    expect(response.asOf).toBe('2026-03-30T10:00:00+02:00');
  });

  it.each([
    [
      'day',
      (s: ComparisonService, now: Date) => s.dailyGrowth(now, { days: 3, compare: 'previous' }),
      // The days shown, then their comparison days (the three before).
      [
        ['day', '2026-03-28', '2026-03-31'],
        ['day', '2026-03-25', '2026-03-28'],
      ],
    ],
    ['week', (s: ComparisonService, now: Date) => s.weeklyGrowth(now, 2), [['week', '2026-03-16', '2026-03-30']]],
    ['month', (s: ComparisonService, now: Date) => s.monthlyGrowth(now, 3), [['month', '2025-12-01', '2026-03-01']]],
  ] as const)(
    'a %s series starts one period early, as the base of the first change, and drops it',
    async (_unit, call, expected) => {
      const { service, repository } = setup();
      const response = (await call(service, new Date('2026-03-31T14:30:00+02:00'))) as unknown as Record<
        string,
        unknown[]
      >;
      expect(repository.seriesCalls).toEqual(expected);
      const list = response['days'] ?? response['weeks'] ?? response['months'];
      expect(list).toHaveLength(1);
    },
  );

  it.each([
    ['2026-03-31', '2026-03-30', 'from must not be after to'],
    ['2026-02-29', '2026-03-30', 'from must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset'],
    ['2026-03-01', '2026-03-01T10:00:00', 'to must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset'],
  ])('rejects the range %s – %s', async (from, to, message) => {
    const { service } = setup();
    const error = await service.range(new Date(), from, to).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestException);
    expect((error as BadRequestException).getResponse()).toMatchObject({ message: [message] });
  });

  it('accepts a one-day range (to is inclusive)', async () => {
    const { service, repository } = setup();
    await service.range(new Date('2026-04-01T00:00:00+02:00'), '2026-03-29', '2026-03-29');
    expect(zoned(repository.windowCalls[0]!)).toEqual([
      ['2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00', 1],
      ['2026-03-28T00:00:00+01:00', '2026-03-29T00:00:00+01:00', null],
    ]);
  });

  it('shows Amazon and eBay as coming soon until they have an order', async () => {
    const { service, repository } = setup();
    repository.platformsAnswer = [
      { key: 'shopify', orders: 0, revenue: 0, hasOrders: false, ...unchanged },
      { key: 'etsy', orders: 1, revenue: 5, hasOrders: true, ...unchanged },
      { key: 'woocommerce', orders: 0, revenue: 0, hasOrders: true, ...unchanged },
      { key: 'amazon', orders: 0, revenue: 0, hasOrders: false, ...unchanged },
      { key: 'ebay', orders: 0, revenue: 0, hasOrders: true, ...unchanged },
    ];
    const response = await service.platforms(new Date(), { days: 30, compare: 'previous' });
    expect(response.platforms.map((p) => [p.platform, p.status])).toEqual([
      ['shopify', 'active'],
      ['etsy', 'active'],
      ['woocommerce', 'active'],
      ['amazon', 'coming_soon'],
      ['ebay', 'active'],
    ]);
  });
});
