import { join } from 'node:path';
import { createTestApp, TestApp } from '../../apps/api/test/test-app';

/**
 * What counts (SPEC §2), through the import and the figures: in the Amazon all-orders report, a Pending
 * order without prices (GB, no ship-country yet) and an order whose only item was cancelled while the
 * order still said Unshipped (CA) are stored but neither counted, nor an order of zero, nor a country.
 */
const NOW = '2025-05-20T12:00:00+02:00';
const FIXTURES = join(__dirname, '..', '..', 'apps', 'api', 'src', 'orders', 'fixtures');

describe('uncounted Amazon orders in the figures', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ env: { BASE_CURRENCY: 'USD', BUSINESS_TIMEZONE: 'Europe/Berlin' } });
    const res = await app
      .as('admin')
      .post('/api/import/orders')
      .attach('files', join(FIXTURES, 'amazon-all-orders.txt'))
      .expect(200);
    expect(res.body.files[0]).toMatchObject({ platform: 'amazon', rows: 5, inserted: 4, errors: [] });
  });
  afterAll(() => app.close());

  const get = (path: string, query: Record<string, string | number> = {}) =>
    app
      .as('viewer')
      .get(path)
      .query({ now: NOW, ...query })
      .expect(200);

  it('stores all four orders and counts only the priced, not cancelled one', async () => {
    expect(
      await app.db.dataSource.query(
        `SELECT external_id, status, priced, counted, country FROM orders ORDER BY external_id`,
      ),
    ).toEqual([
      { external_id: '111-1234567-1234567', status: 'paid', priced: true, counted: true, country: 'US' },
      { external_id: '202-7654321-7654321', status: 'pending', priced: false, counted: false, country: null },
      { external_id: '303-1111111-2222222', status: 'cancelled', priced: true, counted: false, country: 'DE' },
      { external_id: '404-2222222-3333333', status: 'cancelled', priced: true, counted: false, country: 'CA' },
    ]);
  });

  it('GET /api/comparison/range: one order, its revenue is the AOV', async () => {
    const res = await get('/api/comparison/range', {
      from: '2025-05-14T00:00:00+02:00',
      to: '2025-05-20T00:00:00+02:00',
    });
    expect(res.body.current).toEqual({
      from: '2025-05-14T00:00:00+02:00',
      to: '2025-05-20T00:00:00+02:00',
      orders: 1,
      revenue: 69.11,
      aov: 69.11,
    });
    expect(res.body.warnings).toEqual([]);
  });

  it('GET /api/countries: no row for the uncounted orders, not even a null country', async () => {
    const res = await get('/api/countries', { days: 30 });
    expect(res.body.countries).toEqual([{ country: 'US', orders: 1, revenue: 69.11 }]);
  });

  it('GET /api/revenue/platforms: Amazon with its one counted order', async () => {
    const res = await get('/api/revenue/platforms', { days: 30 });
    expect(res.body.platforms.find((p: { platform: string }) => p.platform === 'amazon')).toEqual({
      platform: 'amazon',
      status: 'active',
      orders: 1,
      revenue: 69.11,
    });
  });
});
