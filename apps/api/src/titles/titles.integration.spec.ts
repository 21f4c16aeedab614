import { getDataSourceToken } from '@nestjs/typeorm';
import type { CatalogueResponse, TitlesResponse } from '@mt/contracts';
import type { DataSource } from 'typeorm';
import { GENERIC_PLAN_READS } from '../database/connection-pools';
import { poolOf } from '../database/prepared-query';
import { createTestApp, TestApp } from '../../test/test-app';
import { truncate } from '../../test/test-database';
import { ingest, line, order, refund, shares } from './fixtures/title-orders';

/**
 * Matching lines and Spotify rows to the catalogue, and sharing each order's total and refunds over its
 * lines, through the real write paths (order ingest, file upload) on a real PostgreSQL.
 */
describe('titles (integration)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await truncate(
      t.db,
      'orders',
      'refunds',
      'order_lines',
      'titles',
      'editions',
      'title_names',
      'edition_identifiers',
      'spotify_title_editions',
      'spotify_weekly_stats',
      'upload_log',
    );
  });

  const catalogue = async (): Promise<Array<[string, string[]]>> => {
    const res = await t.as('viewer').get('/api/titles/catalogue').expect(200);
    return (res.body as CatalogueResponse).titles.map((title) => [
      title.title,
      title.editions.map(
        (e) =>
          `${e.format} ${e.lines}: ${e.identifiers.map((i) => `${i.kind}${i.platform ? `@${i.platform}` : ''}=${i.value}`).join(' ')}`,
      ),
    ]);
  };

  describe('matching', () => {
    it('an ISBN joins a Shopify line (its SKU an ISBN) and a Spotify row under another name', async () => {
      await ingest(t, [
        order('1001', '2026-03-02T10:00:00Z', '19.99', [
          line('The Salt Road', {
            variant: 'Audiobook',
            sku: '9781917000012',
            gtin: '9781917000012',
            lineTotal: '19.99',
          }),
        ]),
      ]);
      const csv = [
        'Week starting,Title,ISBN,Country,Total listen minutes,Completed listen equivalents',
        '2026-03-02,Salt Road (Unabridged),9781917000012,US,700,1.3',
        '2026-03-02,Salt Road (Unabridged),9781917000012,GB,700,1.3',
      ].join('\n');
      await t.as('admin').post('/api/upload').attach('files', Buffer.from(csv), 'weekly.csv').expect(200);

      expect(await catalogue()).toEqual([
        ['The Salt Road', ['audiobook 1: isbn=9781917000012 isbn@spotify=9781917000012 sku=9781917000012']],
      ]);
      const res = await t
        .as('viewer')
        .get('/api/titles')
        .query({ from: '2026-03-02', to: '2026-03-08', now: '2026-04-01T12:00:00+02:00' })
        .expect(200);
      const body = res.body as TitlesResponse;
      expect(
        body.titles.map((title) => [title.title, title.formats, title.units, title.revenue, title.spotify]),
      ).toEqual([
        ['The Salt Road', ['audiobook'], 1, 19.99, { minutes: 1400, estimatedRevenue: 11.77, confirmedRevenue: null }],
      ]);
      // A range that cuts the week counts its days' sevenths: 5 of them, and 1 of them in a range of one day.
      const cut = async (from: string, to: string) =>
        (
          (await t.as('viewer').get('/api/titles').query({ from, to, now: '2026-04-01T12:00:00+02:00' }).expect(200))
            .body as TitlesResponse
        ).titles.map((title) => title.spotify);
      expect(await cut('2026-03-04', '2026-03-10')).toEqual([
        { minutes: 1000, estimatedRevenue: 8.41, confirmedRevenue: null },
      ]);
      expect(await cut('2026-03-08', '2026-03-08')).toEqual([
        { minutes: 200, estimatedRevenue: 1.68, confirmedRevenue: null },
      ]);
    });

    it('the same book under two spellings is one edition; its audiobook and paperback are two editions of one title', async () => {
      await ingest(t, [
        order('2001', '2026-03-02T10:00:00Z', '12.00', [line('The Ink Road: A Novel', { variant: 'Paperback' })]),
      ]);
      await ingest(t, [
        order('2002', '2026-03-02T11:00:00Z', '12.00', [line('THE INK ROAD - Paperback')], {
          platform: 'etsy',
          store: 'MTInk',
        }),
        order('2003', '2026-03-02T12:00:00Z', '9.00', [line('The Ink Road (Audiobook)')]),
      ]);
      expect(await catalogue()).toEqual([['The Ink Road: A Novel', ['paperback 2: ', 'audiobook 1: ']]]);
    });

    it('matches by ISBN before SKU before listing id before name, and learns what it saw', async () => {
      await ingest(t, [
        order(
          '3001',
          '2026-03-02T10:00:00Z',
          '30.00',
          [line('North of the Margin', { variant: 'A3 art print', productId: '1400', lineTotal: '30.00' })],
          { platform: 'etsy', store: 'MTInk' },
        ),
        order('3002', '2026-03-02T11:00:00Z', '25.00', [
          line('Small Capitals', { variant: 'Hardcover', sku: 'SC-HC', gtin: '9781000000066', lineTotal: '25.00' }),
        ]),
        // A line whose product has no identifier at all still lands on a title, by its name.
        order('3003', '2026-03-02T12:00:00Z', '8.00', [line('Letters from Mt Ink', { variant: 'eBook' })]),
      ]);
      await ingest(t, [
        // Listing id on its platform: the Etsy listing, under another name.
        order('3004', '2026-03-03T10:00:00Z', '30.00', [line('NOTM poster', { productId: '1400' })], {
          platform: 'etsy',
          store: 'MTInk',
        }),
        // The SKU, on another platform, with a name that would make a new title.
        order('3005', '2026-03-03T11:00:00Z', '25.00', [line('Capitals HB', { sku: 'SC-HC' })], {
          platform: 'woocommerce',
          store: 'shop',
        }),
        // The ISBN wins over a SKU that leads elsewhere and over the name.
        order('3006', '2026-03-03T12:00:00Z', '25.00', [
          line('Letters from Mt Ink', { variant: 'eBook', sku: 'OTHER', gtin: '9781000000066' }),
        ]),
        // Same listing id on another platform is another product.
        order('3007', '2026-03-03T13:00:00Z', '5.00', [line('Bookmark', { productId: '1400' })]),
      ]);
      expect(await catalogue()).toEqual([
        ['Bookmark', ['other 1: listing@shopify=1400']],
        ['Letters from Mt Ink', ['ebook 1: ']],
        ['North of the Margin', ['print 2: listing@etsy=1400']],
        ['Small Capitals', ['hardcover 3: isbn=9781000000066 sku=OTHER sku=SC-HC']],
      ]);
    });
  });

  describe('allocation', () => {
    it("shares an order's shipping, tax and discount code over its three lines, largest remainder first", async () => {
      // Lines 12.00 + 25.00 + 8.00; a code of −4.49 on the order, shipping 4.95, tax 3.15: 48.61.
      await ingest(t, [
        order('A1', '2026-03-10T10:00:00Z', '48.61', [
          line('The Ink Road', { variant: 'Paperback', lineTotal: '12.00' }),
          line('Paper Harbours', { variant: 'Hardcover', lineTotal: '25.00' }),
          line('Small Capitals', { variant: 'eBook', lineTotal: '8.00' }),
        ]),
        // Three equal lines: the cent left over goes to the first.
        order('A2', '2026-03-10T11:00:00Z', '10.00', [line('X'), line('Y'), line('Z')]),
      ]);
      // 4861 × 12/45 = 1296.27, × 25/45 = 2700.56, × 8/45 = 864.18: 4860 whole cents, one left for the .56.
      expect((await shares(t, 'A1')).lines).toEqual([
        { position: 1, title: 'The Ink Road', format: 'paperback', allocated: '12.96' },
        { position: 2, title: 'Paper Harbours', format: 'hardcover', allocated: '27.01' },
        { position: 3, title: 'Small Capitals', format: 'ebook', allocated: '8.64' },
      ]);
      expect((await shares(t, 'A2')).lines.map((l) => l.allocated)).toEqual(['3.34', '3.33', '3.33']);
    });

    it('gives a refund to the lines it names, and one that names none pro rata', async () => {
      const lines = () => [
        line('The Ink Road', { lineTotal: '12.00' }),
        line('Paper Harbours', { lineTotal: '25.00' }),
        line('Small Capitals', { lineTotal: '8.00' }),
      ];
      await ingest(t, [
        order('B1', '2026-03-10T10:00:00Z', '48.61', lines(), { platformUpdatedAt: new Date('2026-03-10T10:00:00Z') }),
        order('B2', '2026-03-10T11:00:00Z', '40.00', [
          line('The Ink Road', { lineTotal: '30.00' }),
          line('Paper Harbours', { lineTotal: '10.00' }),
        ]),
      ]);
      // Later the platform says line 2 was refunded (25.00 before tax); the refund, tax included, is 28.15.
      const [first, named, third] = lines();
      await ingest(t, [
        order(
          'B1',
          '2026-03-10T10:00:00Z',
          '48.61',
          [first!, { ...named!, refundedAmount: '25.00', refundedQuantity: 1 }, third!],
          {
            platformUpdatedAt: new Date('2026-03-12T09:00:00Z'),
            status: 'partially_refunded',
            refunds: [refund('r-b1', '2026-03-12T09:00:00Z', '28.15')],
          },
        ),
        order('B2', '2026-03-10T11:00:00Z', '40.00', [], {
          refunds: [refund('r-b2', '2026-03-12T10:00:00Z', '10.01')],
        }),
      ]);
      expect((await shares(t, 'B1')).refunds).toEqual([
        { refund: 'r-b1', position: 1, amount: '0.00' },
        { refund: 'r-b1', position: 2, amount: '28.15' },
        { refund: 'r-b1', position: 3, amount: '0.00' },
      ]);
      // 1001 × 30/40 = 750.75 and × 10/40 = 250.25: the cent left over goes to the larger remainder.
      expect((await shares(t, 'B2')).refunds).toEqual([
        { refund: 'r-b2', position: 1, amount: '7.51' },
        { refund: 'r-b2', position: 2, amount: '2.50' },
      ]);

      const titles = async (from: string, to: string) => {
        const res = await t
          .as('viewer')
          .get('/api/titles')
          .query({ from, to, now: '2026-04-01T12:00:00+02:00' })
          .expect(200);
        const body = res.body as TitlesResponse;
        return [body.titles.map((title) => [title.title, title.revenue]), body.total.revenue];
      };
      // By refund date (the default): the order's day has the sales, the 12th the refunds.
      expect(await titles('2026-03-10', '2026-03-10')).toEqual([
        [
          ['The Ink Road', 42.96],
          ['Paper Harbours', 37.01],
          ['Small Capitals', 8.64],
        ],
        88.61,
      ]);
      expect(await titles('2026-03-12', '2026-03-12')).toEqual([
        [
          ['Small Capitals', 0],
          ['The Ink Road', -7.51],
          ['Paper Harbours', -30.65],
        ],
        -38.16,
      ]);
    });

    it('shares again when a rate arrives and converts the order, and when lines change', async () => {
      await ingest(t, [
        order(
          'C1',
          '2026-03-10T10:00:00Z',
          '20.00',
          [line('The Ink Road'), line('Paper Harbours', { lineTotal: '30.00' })],
          {
            currency: 'ZAR',
            platformUpdatedAt: new Date('2026-03-10T10:00:00Z'),
          },
        ),
      ]);
      expect((await shares(t, 'C1')).lines.map((l) => l.allocated)).toEqual([null, null]);
      await t
        .as('admin')
        .post('/api/fx/rates')
        .send({ rates: [{ date: '2026-03-10', currency: 'ZAR', rate: '0.05' }] })
        .expect(200);
      // 20.00 ZAR = 1.00 USD: 25 and 75 cents.
      expect((await shares(t, 'C1')).lines.map((l) => l.allocated)).toEqual(['0.25', '0.75']);
      await ingest(t, [
        order(
          'C1',
          '2026-03-10T10:00:00Z',
          '20.00',
          [line('The Ink Road', { lineTotal: '30.00' }), line('Paper Harbours', { lineTotal: '10.00' })],
          {
            currency: 'ZAR',
            platformUpdatedAt: new Date('2026-03-11T10:00:00Z'),
          },
        ),
      ]);
      expect((await shares(t, 'C1')).lines.map((l) => l.allocated)).toEqual(['0.75', '0.25']);
    });
  });

  describe('reads', () => {
    it('run on connections of their own, every statement on its one generic plan, the other pools planning as before', async () => {
      await ingest(t, [order('R1', '2026-03-10T10:00:00Z', '12.00', [line('The Ink Road', { lineTotal: '12.00' })])]);
      const window = { from: '2026-03-01', to: '2026-03-31', now: '2026-04-01T12:00:00+02:00' };
      const list = (await t.as('viewer').get('/api/titles').query(window).expect(200)).body as TitlesResponse;
      const id = list.titles[0]!.id;
      // Six times: PostgreSQL's own choice would be made after the fifth execution on a connection.
      for (let i = 0; i < 6; i++) {
        const page = await t.as('viewer').get(`/api/titles/${id}`).query(window).expect(200);
        expect(page.body).toMatchObject({ title: 'The Ink Road', total: { orders: 1, units: 1, revenue: 12 } });
      }
      const reads = t.app.get<DataSource>(getDataSourceToken(GENERIC_PLAN_READS));
      const pool = poolOf(reads);
      // Every connection the reads opened, each asked about the statements it prepared.
      const clients = await Promise.all(Array.from({ length: pool.totalCount }, () => pool.connect()));
      try {
        const plans = await Promise.all(
          clients.map(async (client) => {
            const { rows } = await client.query<{ mode: string; generic: number; custom: number }>(
              `SELECT current_setting('plan_cache_mode') AS mode, coalesce(sum(generic_plans), 0)::int AS generic,
                 coalesce(sum(custom_plans), 0)::int AS custom
               FROM pg_prepared_statements WHERE name LIKE 'p\\_%'`,
            );
            return rows[0]!;
          }),
        );
        expect(plans.length).toBeGreaterThan(0);
        expect(plans.every((p) => p.mode === 'force_generic_plan' && p.custom === 0)).toBe(true);
        // 8 reads a page (its state, 3 of figures, Spotify months, 2 of statements, the warnings), 6 pages.
        expect(plans.reduce((sum, p) => sum + p.generic, 0)).toBeGreaterThanOrEqual(6 * 8);
      } finally {
        for (const client of clients) client.release();
      }
      const [{ mode }] = await t.db.dataSource.query(`SELECT current_setting('plan_cache_mode') AS mode`);
      expect(mode).toBe('auto');
    });
  });
});
