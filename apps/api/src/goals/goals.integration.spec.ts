import type { GoalProgressResponse } from '@mt/contracts';
import { createTestApp, TestApp } from '../../test/test-app';

describe('monthly revenue goal', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    const orders: Array<[string, string, string?]> = [
      ['2026-10-31T23:30:00+01:00', '999.00'], // October
      ['2026-11-02T10:00:00+01:00', '600.00'],
      ['2026-11-10T10:00:00+01:00', '500.00'],
      ['2026-11-10T11:00:00+01:00', '400.00', 'cancelled'],
      ['2026-11-11T09:00:00+01:00', '250.00'],
      ['2026-03-02T10:00:00+01:00', '743.00'],
    ];
    for (const [i, [createdAt, total, status]] of orders.entries()) {
      await t.db.dataSource.query(
        `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status)
         VALUES ('shopify', $1, $2, 'USD', $3, $3, 'GB', $4)`,
        [`G${i}`, createdAt, total, status ?? 'paid'],
      );
    }
    await t.db.dataSource.query(
      `INSERT INTO refunds (order_id, external_id, refunded_at, amount, base_amount)
       SELECT id, 'R1', '2026-11-10T15:00:00+01:00', 100, 100 FROM orders WHERE external_id = 'G2'`,
    );
  });
  afterAll(() => t?.close());

  const current = async (now: string): Promise<GoalProgressResponse> =>
    (await t.as('viewer').get('/api/goals/current').query({ now }).expect(200)).body as GoalProgressResponse;

  it('requires authentication, and the admin role to set the goal', async () => {
    await t.anonymous().get('/api/goals/current').expect(401);
    await t.as('viewer').put('/api/goals').send({ monthlyRevenue: 1 }).expect(403);
  });

  it('report no goal until one is set', async () => {
    expect((await t.as('viewer').get('/api/goals').expect(200)).body).toEqual({
      currency: 'USD',
      monthlyRevenue: null,
      updatedAt: null,
    });
    expect(await current('2026-11-11T00:00:00+01:00')).toMatchObject({
      goal: null,
      revenue: 1000,
      projected: 3000,
      expectedByNow: null,
      percentOfGoal: null,
      pace: 'no_goal',
    });
  });

  it('name a wrong goal', async () => {
    for (const monthlyRevenue of [-5, 0, 10.555, 'lots']) {
      const res = await t.as('admin').put('/api/goals').send({ monthlyRevenue }).expect(400);
      expect(res.body.message.join(' ')).toMatch(/^monthlyRevenue /);
    }
  });

  it('project the month end at the pace so far and say whether it reaches the goal', async () => {
    const set = await t.as('admin').put('/api/goals').send({ monthlyRevenue: 3000 }).expect(200);
    expect(set.body).toMatchObject({ currency: 'USD', monthlyRevenue: 3000 });
    // 10 of 30 days gone, $1,000 in (600 + 500 − 100 refunded; the cancelled order and October left out).
    expect(await current('2026-11-11T00:00:00+01:00')).toEqual({
      timezone: 'Europe/Berlin',
      currency: 'USD',
      asOf: '2026-11-11T00:00:00+01:00',
      month: '2026-11',
      monthStart: '2026-11-01T00:00:00+01:00',
      monthEnd: '2026-12-01T00:00:00+01:00',
      goal: 3000,
      revenue: 1000,
      projected: 3000,
      elapsed: 0.3333,
      expectedByNow: 1000,
      percentOfGoal: 33.33,
      pace: 'on_track',
    });
    // Noon, after a $250 order: 1250 × 30 / 10.5 days; at 08:00, before it: 1000 × 30 / 10.333.
    expect(await current('2026-11-11T12:00:00+01:00')).toMatchObject({
      revenue: 1250,
      projected: 3571.43,
      expectedByNow: 1050,
      percentOfGoal: 41.67,
      pace: 'on_track',
    });
    expect(await current('2026-11-11T08:00:00+01:00')).toMatchObject({
      revenue: 1000,
      projected: 2903.23,
      expectedByNow: 1033.33,
      pace: 'behind',
    });

    await t.as('admin').put('/api/goals').send({ monthlyRevenue: 3500.5 }).expect(200);
    expect(await current('2026-11-11T00:00:00+01:00')).toMatchObject({
      goal: 3500.5,
      projected: 3000,
      expectedByNow: 1166.83,
      percentOfGoal: 28.57,
      pace: 'behind',
    });
  });

  it('count the month in hours of the wall clock, DST change included', async () => {
    // March 2026 in Berlin has 743 hours; 240 of them gone on the 11th: 743 × 743 / 240.
    expect(await current('2026-03-11T00:00:00+01:00')).toMatchObject({
      month: '2026-03',
      monthEnd: '2026-04-01T00:00:00+02:00',
      revenue: 743,
      projected: 2300.2,
      elapsed: 0.323,
    });
  });

  it('expect nothing yet at the first instant of the month', async () => {
    expect(await current('2026-12-01T00:00:00+01:00')).toMatchObject({
      month: '2026-12',
      revenue: 0,
      projected: null,
      elapsed: 0,
      expectedByNow: 0,
      pace: 'on_track',
    });
  });

  it('remove the goal with null', async () => {
    expect((await t.as('admin').put('/api/goals').send({ monthlyRevenue: null }).expect(200)).body).toEqual({
      currency: 'USD',
      monthlyRevenue: null,
      updatedAt: null,
    });
  });
});
