import type { AlertCheckResponse, AlertEventsResponse, AlertFiredEvent, AlertRule } from '@mt/contracts';
import { freePort } from '../../test/global-setup';
import { createTestApp, scheduledJobsOn, TestApp } from '../../test/test-app';
import { SmtpTestServer, startSmtpServer } from '../../test/smtp-test-server';
import { DomainEvents } from '../realtime/domain-events';
import { AdvisoryLocks } from '../database/advisory-lock';
import { AlertsJob } from './alerts.job';
import { AlertsRepository } from './alerts.repository';
import { ALERT_CHECKS, AlertsService, parseTime, withinHours } from './alerts.service';

/** Berlin is UTC+1 in November. Yesterday of "today" 2026-11-26 (Thursday) is Wednesday 2026-11-25. */
const ORDERS: Array<[string, string, string, string?]> = [
  // [created_at, base total, country, status]
  ['2026-11-24T10:00:00+01:00', '60.00', 'US'],
  ['2026-11-24T11:00:00+01:00', '40.00', 'GB'],
  ['2026-11-25T09:00:00+01:00', '40.00', 'GB'],
  ['2026-11-25T12:00:00+01:00', '40.00', 'GB'],
  ['2026-11-25T18:00:00+01:00', '43.45', 'DE'],
  ['2026-11-25T20:00:00+01:00', '500.00', 'GB', 'cancelled'],
  ['2026-11-26T08:00:00+01:00', '70.00', 'FR'],
  ['2026-11-26T09:30:00+01:00', '60.00', 'FR'],
];

describe('alerts', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;
  /** Every domain event the app published, by name. */
  const published: Array<{ name: string; payload: unknown }> = [];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ env: { SMTP_URL: smtp.url, ALERT_EMAIL_TO: 'owner@mtink.test' } });
    t.app.get(DomainEvents).events$.subscribe((event) => published.push(event));
    for (const [i, [createdAt, total, country, status]] of ORDERS.entries()) {
      await t.db.dataSource.query(
        `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status)
         VALUES ('shopify', $1, $2, 'USD', $3, $3, $4, $5)`,
        [`A${i}`, createdAt, total, country, status ?? 'paid'],
      );
    }
    await t.db.dataSource.query(
      `INSERT INTO spotify_weekly_stats (week_start, title, title_key, country, minutes)
       VALUES ('2026-11-16', 'Ink', 'ink', 'GB', 10000), ('2026-11-16', 'Ink', 'ink', 'DE', 2345),
              ('2026-11-09', 'Ink', 'ink', 'GB', 10000)`,
    );
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    smtp.messages.length = 0;
    published.length = 0;
  });

  const check = async (now: string, app: TestApp = t): Promise<AlertCheckResponse> => {
    const res = await app.as('admin').post('/api/alerts/check').query({ now }).expect(200);
    return res.body as AlertCheckResponse;
  };
  /** A check that may find another one running: what it fired, or nothing when it was answered 409. */
  const checkAlongside = async (now: string, app: TestApp): Promise<AlertCheckResponse['fired']> => {
    const res = await app.as('admin').post('/api/alerts/check').query({ now });
    expect([200, 409]).toContain(res.status);
    return res.status === 200 ? (res.body as AlertCheckResponse).fired : [];
  };
  const createRule = async (rule: object): Promise<AlertRule> =>
    (await t.as('admin').post('/api/alerts').send(rule).expect(201)).body as AlertRule;

  describe('rules', () => {
    it('requires authentication, and the admin role to change rules', async () => {
      await t.anonymous().get('/api/alerts').expect(401);
      await t.as('viewer').get('/api/alerts').expect(403);
      await t.as('viewer').post('/api/alerts').send({ kind: 'best_day' }).expect(403);
      await t.as('viewer').post('/api/alerts/check').expect(403);
      await t.as('viewer').get('/api/alerts/events').expect(200);
    });

    it('name the missing or wrong field of a rule', async () => {
      const missing = await t.as('admin').post('/api/alerts').send({ kind: 'day_revenue' }).expect(400);
      expect(missing.body.message).toEqual(['threshold is required for day_revenue rules']);
      const silence = await t
        .as('admin')
        .post('/api/alerts')
        .send({ kind: 'silence', hours: 12, activeFrom: '8:00', activeTo: '22:00' })
        .expect(400);
      expect(silence.body.message).toEqual(['activeFrom must be a time HH:MM']);
      const fraction = await t
        .as('admin')
        .post('/api/alerts')
        .send({ kind: 'week_orders', threshold: 10.5 })
        .expect(400);
      expect(fraction.body.message).toEqual(['threshold must be a whole number of orders for week_orders rules']);
      const kind = await t.as('admin').post('/api/alerts').send({ kind: 'sometimes' }).expect(400);
      expect(kind.body.message).toEqual([
        'kind must be one of the following values: day_revenue, week_orders, best_day, silence, daily_digest',
      ]);
    });

    it('create, read, replace and delete a rule', async () => {
      const created = await createRule({ kind: 'silence', hours: 12, activeFrom: '08:00', activeTo: '22:00' });
      expect(created).toMatchObject({
        kind: 'silence',
        name: 'No order for 12 hours (08:00–22:00)',
        enabled: true,
        threshold: null,
        hours: 12,
        activeFrom: '08:00',
        activeTo: '22:00',
        sendAt: null,
      });
      const replaced = await t
        .as('admin')
        .put(`/api/alerts/${created.id}`)
        .send({ kind: 'day_revenue', threshold: 999.5, name: 'Big day', enabled: false })
        .expect(200);
      expect(replaced.body).toMatchObject({
        id: created.id,
        kind: 'day_revenue',
        name: 'Big day',
        enabled: false,
        threshold: 999.5,
        hours: null,
        activeFrom: null,
      });
      expect((await t.as('admin').get(`/api/alerts/${created.id}`).expect(200)).body).toEqual(replaced.body);
      expect((await t.as('admin').get('/api/alerts').expect(200)).body).toEqual([replaced.body]);
      await t.as('admin').delete(`/api/alerts/${created.id}`).expect(204);
      await t.as('admin').get(`/api/alerts/${created.id}`).expect(404);
      await t.as('admin').delete(`/api/alerts/${created.id}`).expect(404);
    });
  });

  it('send the daily digest of yesterday once, at the configured local time', async () => {
    const rule = await createRule({ kind: 'daily_digest', sendAt: '07:30' });
    expect((await check('2026-11-26T07:29:00+01:00')).fired).toEqual([]);
    const { fired } = await check('2026-11-26T07:30:00+01:00');
    expect(fired.map((e) => [e.kind, e.periodKey, e.delivery])).toEqual([['daily_digest', '2026-11-25', 'sent']]);
    expect((await check('2026-11-26T08:00:00+01:00')).fired).toEqual([]);

    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail!.to).toEqual(['owner@mtink.test']);
    expect(mail!.subject).toBe('MT Ink daily digest 2026-11-25: 3 orders, $123.45');
    expect(mail!.text).toBe(
      [
        'Yesterday, Wednesday 2026-11-25 (Europe/Berlin):',
        '',
        'Orders: 3',
        '  vs the day before (2): +50.00%',
        '  vs Wednesday a week earlier (0): n/a',
        'Revenue: $123.45',
        '  vs the day before ($100.00): +23.45%',
        '  vs Wednesday a week earlier ($0.00): n/a',
        'Average order: $41.15',
        '  vs the day before ($50.00): -17.70%',
        '  vs Wednesday a week earlier (none): n/a',
        '',
        'Top countries:',
        '  GB: 2 orders, $80.00',
        '  DE: 1 order, $43.45',
        '',
        'Spotify, week of 2026-11-16: 12,345 minutes',
        '  vs the week before (10,000): +23.45%',
      ].join('\n'),
    );
    expect(fired[0]!.body).toBe(mail!.text);
    await t.as('admin').delete(`/api/alerts/${rule.id}`).expect(204);
  });

  it('fire milestones once per period when they are reached', async () => {
    await createRule({ kind: 'day_revenue', threshold: 125 });
    await createRule({ kind: 'week_orders', threshold: 7 });
    await createRule({ kind: 'best_day' });
    // 09:00: today $70 from 1 order, the week 6 orders, the best earlier day $123.45.
    expect((await check('2026-11-26T09:00:00+01:00')).fired).toEqual([]);
    const { fired } = await check('2026-11-26T09:45:00+01:00');
    expect(fired.map((e) => [e.kind, e.periodKey])).toEqual([
      ['day_revenue', '2026-11-26'],
      ['week_orders', '2026-11-23'],
      ['best_day', '2026-11-26'],
    ]);
    expect((await check('2026-11-26T12:00:00+01:00')).fired).toEqual([]);

    // Once per fired alert (not again on the later run), after it was recorded, with the card's few fields.
    const firedAt = '2026-11-26T09:45:00+01:00';
    expect(published).toEqual([
      {
        name: 'alert.fired',
        payload: {
          id: fired[0]!.id,
          kind: 'day_revenue',
          ruleName: 'Day revenue reaches 125.00 USD',
          subject: 'MT Ink: $130.00 today, milestone $125.00 reached',
          firedAt,
        } satisfies AlertFiredEvent,
      },
      {
        name: 'alert.fired',
        payload: {
          id: fired[1]!.id,
          kind: 'week_orders',
          ruleName: '7 orders in a week',
          subject: 'MT Ink: 7 orders this week, milestone 7 reached',
          firedAt,
        },
      },
      {
        name: 'alert.fired',
        payload: {
          id: fired[2]!.id,
          kind: 'best_day',
          ruleName: 'Best day ever',
          subject: 'MT Ink: best day ever, $130.00 today',
          firedAt,
        },
      },
    ]);
    const rows: Array<{ id: string }> = await t.db.dataSource.query(
      `SELECT id::text FROM alert_events WHERE period_key IN ('2026-11-26', '2026-11-23') ORDER BY id`,
    );
    expect(rows.map((row) => Number(row.id))).toEqual(fired.map((e) => e.id));

    const bySubject = Object.fromEntries(smtp.messages.map((m) => [m.subject, m.text]));
    expect(bySubject).toEqual({
      'MT Ink: $130.00 today, milestone $125.00 reached':
        'Revenue today (2026-11-26, Europe/Berlin) reached $130.00\nfrom 2 orders as of 2026-11-26 09:45.\nYour milestone: $125.00 in a day.',
      'MT Ink: 7 orders this week, milestone 7 reached':
        'This week (from Monday 2026-11-23, Europe/Berlin) has 7 orders\nand $353.45 revenue as of 2026-11-26 09:45.\nYour milestone: 7 orders in a week.',
      'MT Ink: best day ever, $130.00 today':
        'Revenue today (2026-11-26, Europe/Berlin) reached $130.00\nfrom 2 orders as of 2026-11-26 09:45,\nabove the previous best of $123.45 on 2026-11-25.',
    });
  });

  it('alert once per quiet spell when no order came for the set hours, only within the watched hours', async () => {
    await createRule({ kind: 'silence', hours: 5, activeFrom: '08:00', activeTo: '22:00' });
    expect((await check('2026-11-26T14:29:00+01:00')).fired).toEqual([]);
    const first = await check('2026-11-26T14:30:00+01:00');
    expect(first.fired.map((e) => [e.kind, e.periodKey])).toEqual([['silence', '2026-11-26T08:30:00.000Z']]);
    expect((await check('2026-11-26T18:00:00+01:00')).fired).toEqual([]);
    expect(smtp.messages.map((m) => [m.subject, m.text])).toEqual([
      [
        'MT Ink: no order for 5 hours',
        'The last order came in at 2026-11-26 09:30 (Europe/Berlin),\n5 h 0 min before 2026-11-26 14:30.\nWorth checking that the shops and their webhooks are working.',
      ],
    ]);
    // A new order ends the spell; the next one is outside the watched hours until 08:00.
    await t.db.dataSource.query(
      `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status)
       VALUES ('etsy', 'S1', '2026-11-26T19:00:00+01:00', 'USD', 10, 10, 'GB', 'paid')`,
    );
    expect((await check('2026-11-27T07:59:00+01:00')).fired).toEqual([]);
    const next = await check('2026-11-27T08:00:00+01:00');
    expect(next.fired.map((e) => e.periodKey)).toEqual(['2026-11-26T18:00:00.000Z']);
  });

  it('send each alert once when several instances check at the same moment', async () => {
    const second = await createTestApp({ db: t.db, env: { SMTP_URL: smtp.url, ALERT_EMAIL_TO: 'owner@mtink.test' } });
    try {
      const rule = await createRule({ kind: 'day_revenue', threshold: 50, name: 'Fifty' });
      const runs = await Promise.all([
        checkAlongside('2026-11-27T08:30:00+01:00', t),
        checkAlongside('2026-11-27T08:30:00+01:00', second),
        checkAlongside('2026-11-27T08:30:00+01:00', t),
        checkAlongside('2026-11-27T08:30:00+01:00', second),
      ]);
      expect(runs.flat().filter((e) => e.ruleId === rule.id)).toHaveLength(0);
      await t.db.dataSource.query(
        `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status)
         VALUES ('etsy', 'S2', '2026-11-27T08:45:00+01:00', 'USD', 55, 55, 'GB', 'paid')`,
      );
      // A check that found another running was answered 409; whichever ran, the rule fired once.
      const again = await Promise.all([
        checkAlongside('2026-11-27T09:00:00+01:00', t),
        checkAlongside('2026-11-27T09:00:00+01:00', second),
        checkAlongside('2026-11-27T09:00:00+01:00', t),
        checkAlongside('2026-11-27T09:00:00+01:00', second),
      ]);
      expect(
        again
          .flat()
          .filter((e) => e.ruleId === rule.id)
          .map((e) => e.periodKey),
      ).toEqual(['2026-11-27']);
      expect(smtp.messages.filter((m) => m.subject.startsWith('MT Ink: $55.00 today'))).toHaveLength(1);
      const rows = await t.db.dataSource.query(`SELECT period_key FROM alert_events WHERE rule_id = $1`, [rule.id]);
      expect(rows).toEqual([{ period_key: '2026-11-27' }]);
      // Even without the lock, the (rule, period) key refuses a second claim.
      const repository = t.app.get(AlertsRepository);
      expect(await repository.claim(String(rule.id), '2026-11-27', 's', 'b', new Date())).toBeNull();
    } finally {
      await second.close();
    }
  });

  it('run the checks from the minute job', async () => {
    // No rules and nothing to send: this is about whether the job gets to the checks.
    const repository = t.app.get(AlertsRepository);
    const rules = jest.spyOn(repository, 'enabledRules').mockResolvedValue([]);
    const unsent = jest.spyOn(repository, 'undelivered').mockResolvedValue([]);
    try {
      expect(await new AlertsJob(t.app.get(AlertsService), scheduledJobsOn(t)).check()).toBe('ran');
      expect(rules).toHaveBeenCalledTimes(1);
      expect(unsent).toHaveBeenCalledTimes(1);
    } finally {
      rules.mockRestore();
      unsent.mockRestore();
    }
  });

  it('answer a check that finds the checks running with 409 and why, not with an empty check', async () => {
    let started!: () => void;
    let finish!: () => void;
    const holding = new Promise<void>((resolve) => (started = resolve));
    const finished = new Promise<void>((resolve) => (finish = resolve));
    // Another instance's minute job, as the database sees it: the checks' lock, held until told.
    const running = t.app.get(AdvisoryLocks).runExclusive(ALERT_CHECKS, async () => {
      started();
      await finished;
    });
    try {
      await holding;
      const busy = await t.as('admin').post('/api/alerts/check').query({ now: '2026-11-27T09:30:00+01:00' });
      expect([busy.status, busy.body.message]).toEqual([
        409,
        'the alert checks are running already; try again in a minute',
      ]);
    } finally {
      finish();
    }
    expect(await running).toEqual({ ran: true, result: undefined });
    expect((await check('2026-11-27T09:30:00+01:00')).asOf).toBe('2026-11-27T09:30:00+01:00');
  });

  it('list fired alerts for the dashboard, newest first', async () => {
    const res = await t.as('viewer').get('/api/alerts/events').query({ limit: 2 }).expect(200);
    const { events } = res.body as AlertEventsResponse;
    expect(events.map((e) => [e.kind, e.ruleName, e.periodKey, e.delivery, e.deliveryError])).toEqual([
      ['day_revenue', 'Fifty', '2026-11-27', 'sent', null],
      ['silence', 'No order for 5 hours (08:00–22:00)', '2026-11-26T18:00:00.000Z', 'sent', null],
    ]);
    expect(events[0]!.firedAt).toBe('2026-11-27T09:00:00+01:00');
    await t.as('viewer').get('/api/alerts/events').query({ limit: 0 }).expect(400);
  });
});

describe('alert delivery', () => {
  it('record a failed send, retry it on the next runs up to 3 attempts, and say when SMTP is not set up', async () => {
    const closedPort = await freePort();
    const failing = await createTestApp({
      env: { SMTP_URL: `smtp://127.0.0.1:${closedPort}`, ALERT_EMAIL_TO: 'owner@mtink.test' },
    });
    const unconfigured = await createTestApp({ db: failing.db });
    try {
      await failing.db.dataSource.query(
        `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status)
         VALUES ('shopify', 'D1', '2026-11-26T08:00:00+01:00', 'USD', 80, 80, 'GB', 'paid')`,
      );
      await failing.as('admin').post('/api/alerts').send({ kind: 'day_revenue', threshold: 50 }).expect(201);
      const attempts = async () =>
        (await failing.db.dataSource.query(`SELECT attempts FROM alert_events`)) as Array<{ attempts: number }>;
      const run = async (app: TestApp, now: string) =>
        (await app.as('admin').post('/api/alerts/check').query({ now }).expect(200)).body as AlertCheckResponse;

      const first = await run(failing, '2026-11-26T09:00:00+01:00');
      expect(first.fired.map((e) => [e.delivery, e.deliveryError?.includes('ECONNREFUSED')])).toEqual([
        ['failed', true],
      ]);
      await run(failing, '2026-11-26T09:01:00+01:00');
      await run(failing, '2026-11-26T09:02:00+01:00');
      expect(await attempts()).toEqual([{ attempts: 3 }]);
      await run(failing, '2026-11-26T09:03:00+01:00');
      expect(await attempts()).toEqual([{ attempts: 3 }]);

      await failing.as('admin').post('/api/alerts').send({ kind: 'week_orders', threshold: 1 }).expect(201);
      const notSetUp = await run(unconfigured, '2026-11-26T09:04:00+01:00');
      expect(notSetUp.fired.map((e) => [e.kind, e.delivery, e.deliveryError])).toEqual([
        ['week_orders', 'not_configured', 'SMTP_URL and ALERT_EMAIL_TO are not both set'],
      ]);
    } finally {
      await unconfigured.close();
      await failing.close();
    }
  });
});

describe('alert delivery to a mail server that takes the message but does not confirm it', () => {
  it('send it once, with one Message-ID, however many runs follow', async () => {
    const smtp = await startSmtpServer('hang-up');
    const app = await createTestApp({ env: { SMTP_URL: smtp.url, ALERT_EMAIL_TO: 'owner@mtink.test' } });
    try {
      await app.db.dataSource.query(
        `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status)
         VALUES ('shopify', 'U1', '2026-11-26T08:00:00+01:00', 'USD', 80, 80, 'GB', 'paid')`,
      );
      await app.as('admin').post('/api/alerts').send({ kind: 'day_revenue', threshold: 50 }).expect(201);
      const run = async (now: string) =>
        (await app.as('admin').post('/api/alerts/check').query({ now }).expect(200)).body as AlertCheckResponse;
      const first = await run('2026-11-26T09:00:00+01:00');
      expect(first.fired.map((e) => [e.delivery, e.deliveryError?.startsWith('handed to the mail server')])).toEqual([
        ['sent', true],
      ]);
      await run('2026-11-26T09:01:00+01:00');
      await run('2026-11-26T09:02:00+01:00');
      const [event] = (await app.db.dataSource.query(
        `SELECT id, fired_at AS "firedAt", attempts, delivery FROM alert_events`,
      )) as Array<{ id: string; firedAt: Date; attempts: number; delivery: string }>;
      expect(event).toMatchObject({ attempts: 1, delivery: 'sent' });
      expect(smtp.messages.map((m) => m.messageId)).toEqual([
        `<alert-${event!.id}-${event!.firedAt.getTime()}@mtink.test>`,
      ]);
    } finally {
      await app.close();
      await smtp.close();
    }
  });
});

describe('alert schedule arithmetic', () => {
  it.each([
    ['08:00', '22:00', '07:59', false],
    ['08:00', '22:00', '08:00', true],
    ['08:00', '22:00', '21:59', true],
    ['08:00', '22:00', '22:00', false],
    ['22:00', '06:00', '23:30', true],
    ['22:00', '06:00', '05:59', true],
    ['22:00', '06:00', '12:00', false],
    ['00:00', '00:00', '12:00', true],
  ])('watched hours %s–%s include %s: %s', (from, to, at, expected) => {
    expect(withinHours(parseTime(at), parseTime(from), parseTime(to))).toBe(expected);
  });
});
