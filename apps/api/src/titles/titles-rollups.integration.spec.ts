import type { CatalogueResponse, CatalogueTitle, TitlesResponse } from '@mt/contracts';
import { createTestApp, TestApp } from '../../test/test-app';
import type { NormalizedOrder } from '../orders/normalized-order';
import { ingest, line, order, refund } from './fixtures/title-orders';
import { TitlesRepository } from './titles.repository';

/**
 * The title rollups never go stale: after they were folded, an order update, a refund, a merge and a
 * split each show at once in a window read from the monthly rollups (a whole month) and in one read from
 * the hourly rollups and the lines (whole hours, minutes at its ends), under both refund attributions;
 * and still after the next fold, when every monthly row is again the sum of its days. Figures worked out by hand: no shipping, so a line's share is its total.
 */
const NOW = '2026-04-01T12:00:00+02:00';
/** The whole of March (Berlin): the monthly rollups (its days while one is dirty). */
const MONTH = { from: '2026-03-01', to: '2026-03-31' };
/**
 * 10 March 08:30 UTC to 11 March 12:30 UTC: no whole local day, but most of two, so each is read as its
 * daily row less the rest of the day (whole hours from the hourly rollups, two half hours from the lines).
 */
const HOURS = { from: '2026-03-10T08:30:00Z', to: '2026-03-11T12:30:00Z' };

const first = (total: string, refunds: NormalizedOrder['refunds'] = []) =>
  order(
    '1',
    '2026-03-10T10:00:00Z',
    total,
    [
      line('The Ink Road', { variant: 'Paperback', gtin: '9781000000011', lineTotal: '20.00' }),
      line('Paper Harbours', { variant: 'Hardcover', lineTotal: '10.00' }),
    ],
    { refunds },
  );
const second = (total: string) =>
  order('2', '2026-03-11T10:00:00Z', total, [line('Ink Road', { variant: 'eBook', lineTotal: total })]);
// 12:10 UTC: in the last half hour of HOURS, with its day.
const third = order('3', '2026-03-11T12:10:00Z', '10.00', [
  line('Paper Harbours', { variant: 'Audiobook', sku: 'PH-AUDIO', lineTotal: '10.00' }),
]);
const withoutLines = order('4', '2026-03-11T09:20:00Z', '40.00', []);

describe('title rollups stay exact after they were folded (integration)', () => {
  let byRefundDate: TestApp;
  let byOrderDate: TestApp;

  beforeAll(async () => {
    byRefundDate = await createTestApp();
    byOrderDate = await createTestApp({ db: byRefundDate.db, env: { REFUND_ATTRIBUTION: 'order_date' } });
    await ingest(byRefundDate, [first('30.00'), second('15.00'), third, withoutLines]);
    await fold();
  });
  afterAll(async () => {
    await byOrderDate.close();
    await byRefundDate.close();
  });

  async function fold(): Promise<void> {
    await byRefundDate.db.dataSource.query(`SELECT refresh_order_rollups($1)`, [byRefundDate.config.businessTimezone]);
    await byRefundDate.app.get(TitlesRepository).refreshRollups();
    const [left] = await byRefundDate.db.dataSource.query(
      `SELECT (SELECT count(*) FROM title_hour_dirty)::int AS hours, (SELECT count(*) FROM title_hourly_dirty)::int AS days`,
    );
    expect(left).toEqual({ hours: 0, days: 0 });
  }

  /** Revenue per title name (and of the orders without lines) in both windows, under both attributions. */
  async function figures(): Promise<Record<string, Record<string, number>>> {
    const result: Record<string, Record<string, number>> = {};
    for (const [attribution, app] of [
      ['by refund date', byRefundDate],
      ['by order date', byOrderDate],
    ] as const) {
      for (const [name, range] of [
        ['month', MONTH],
        ['hours', HOURS],
      ] as const) {
        const body = (
          await app
            .as('viewer')
            .get('/api/titles')
            .query({ ...range, now: NOW })
            .expect(200)
        ).body as TitlesResponse;
        result[`${name}, ${attribution}`] = Object.fromEntries([
          ...body.titles.map((title) => [title.title, title.revenue]),
          ['(no line items)', body.noLineItems.revenue],
        ]);
      }
    }
    return result;
  }

  /**
   * The monthly rollups' rows that are not the sums of their month's daily rows, and the sums that have
   * no monthly row (by platform and by country): none, whatever wrote the daily ones.
   */
  async function monthsApartFromTheirDays(): Promise<unknown[]> {
    const apart: unknown[] = [];
    for (const [daily, monthly, key] of [
      ['title_daily_totals', 'title_monthly_totals', 'platform'],
      ['title_daily_countries', 'title_monthly_countries', 'country'],
    ]) {
      const sums = `SELECT date_trunc('month', day)::date AS month, title_id, ${key}, sum(orders)::int AS orders,
          sum(units)::int AS units, sum(sales) AS sales, sum(refunds_by_refund_date) AS refunds_by_refund_date,
          sum(refunds_by_order_date) AS refunds_by_order_date
        FROM ${daily} GROUP BY 1, 2, 3`;
      const columns = `month, title_id, ${key}, orders, units, sales, refunds_by_refund_date, refunds_by_order_date`;
      apart.push(
        ...(await byRefundDate.db.dataSource.query(
          `(SELECT '${monthly}' AS only_in, ${columns} FROM ${monthly} EXCEPT SELECT '${monthly}', ${columns} FROM (${sums}) s)
           UNION ALL
           (SELECT '${daily}', ${columns} FROM (${sums}) s EXCEPT SELECT '${daily}', ${columns} FROM ${monthly})`,
        )),
      );
    }
    return apart;
  }

  /** The same figures in every window and attribution, before the fold and after it. */
  async function expectEverywhere(expected: Record<string, number>, noLineItems: { month: number; hours: number }) {
    const want = (name: 'month' | 'hours') => ({ ...expected, '(no line items)': noLineItems[name] });
    const all = {
      'month, by refund date': want('month'),
      'hours, by refund date': want('hours'),
      'month, by order date': want('month'),
      'hours, by order date': want('hours'),
    };
    expect(await figures()).toEqual(all);
    expect(await monthsApartFromTheirDays()).toEqual([]);
    await fold();
    expect(await figures()).toEqual(all);
    expect(await monthsApartFromTheirDays()).toEqual([]);
    const [{ months }] = await byRefundDate.db.dataSource.query(
      `SELECT count(*)::int AS months FROM title_monthly_totals WHERE month = '2026-03-01'`,
    );
    expect(months).toBeGreaterThan(0);
  }

  const titleIds = async (): Promise<Map<string, CatalogueTitle>> => {
    const body = (await byRefundDate.as('viewer').get('/api/titles/catalogue').expect(200)).body as CatalogueResponse;
    return new Map(body.titles.map((title) => [title.title, title]));
  };

  it('reads whole months from the monthly rollups and the rest of a day from the hourly ones', async () => {
    const ids = await titleIds();
    const inkRoad = ids.get('The Ink Road')!.id;
    // A figure planted in a rollup shows in the window that reads it, and only there: a day's row
    // reaches its month's row, which the month window reads.
    await byRefundDate.db.dataSource.query(
      `INSERT INTO title_daily_totals VALUES ('2026-03-15', $1, 'shopify', 1, 1, 1000, 0, 0)`,
      [inkRoad],
    );
    await byRefundDate.db.dataSource.query(
      `UPDATE title_monthly_totals SET sales = sales + 10000 WHERE month = '2026-03-01' AND title_id = $1 AND platform = 'shopify'`,
      [inkRoad],
    );
    // 05:00 UTC on 10 March is in the rest of that day before HOURS begins: taken off its day's row.
    await byRefundDate.db.dataSource.query(
      `INSERT INTO title_hourly_totals VALUES ('2026-03-10T05:00:00Z', $1, 'shopify', 1, 1, 100, 0, 0)`,
      [inkRoad],
    );
    const planted = await figures();
    expect(planted['month, by refund date']!['The Ink Road']).toBe(11020);
    expect(planted['hours, by refund date']!['The Ink Road']).toBe(-80);
    // Deleting the planted day sums its month again from its days.
    await byRefundDate.db.dataSource.query(`DELETE FROM title_daily_totals WHERE sales = 1000`);
    await byRefundDate.db.dataSource.query(`DELETE FROM title_hourly_totals WHERE sales = 100`);
    await expectEverywhere({ 'Paper Harbours': 20, 'The Ink Road': 20, 'Ink Road': 15 }, { month: 40, hours: 40 });
  });

  it('shows an update, a refund, a merge, a split and a moved identifier at once and after the next fold', async () => {
    await ingest(byRefundDate, [second('18.00')]);
    await expectEverywhere({ 'Paper Harbours': 20, 'The Ink Road': 20, 'Ink Road': 18 }, { month: 40, hours: 40 });

    // 5.00 over 20.00 and 10.00 in cents, largest remainder first: 3.33 and 1.67. Refunded within HOURS
    // (by refund date) and on the first order's day (by order date).
    await ingest(byRefundDate, [first('30.00', [refund('r1', '2026-03-11T11:00:00Z', '5.00')])]);
    await expectEverywhere(
      { 'Paper Harbours': 18.33, 'Ink Road': 18, 'The Ink Road': 16.67 },
      { month: 40, hours: 40 },
    );

    let ids = await titleIds();
    await byRefundDate
      .as('admin')
      .post(`/api/titles/${ids.get('The Ink Road')!.id}/merge`)
      .send({ titleIds: [ids.get('Ink Road')!.id] })
      .expect(200);
    await expectEverywhere({ 'The Ink Road': 34.67, 'Paper Harbours': 18.33 }, { month: 40, hours: 40 });

    ids = await titleIds();
    const audiobook = ids.get('Paper Harbours')!.editions.find((edition) => edition.format === 'audiobook')!;
    await byRefundDate
      .as('admin')
      .post(`/api/titles/${ids.get('Paper Harbours')!.id}/split`)
      .send({ editionIds: [audiobook.id] })
      .expect(200);
    await expectEverywhere(
      { 'The Ink Road': 34.67, 'Paper Harbours (audiobook)': 10, 'Paper Harbours': 8.33 },
      { month: 40, hours: 40 },
    );

    ids = await titleIds();
    const paperback = ids.get('The Ink Road')!.editions.find((edition) => edition.format === 'paperback')!;
    await byRefundDate
      .as('admin')
      .post('/api/titles/identifiers/move')
      .send({ kind: 'sku', platform: null, value: 'PH-AUDIO', editionId: paperback.id })
      .expect(200);
    await expectEverywhere({ 'The Ink Road': 44.67, 'Paper Harbours': 8.33 }, { month: 40, hours: 40 });
  });
});
