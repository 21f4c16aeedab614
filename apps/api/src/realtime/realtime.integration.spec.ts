import type {
  ClientEventMap,
  ClientEventName,
  ClientToServerEvents,
  EventMeta,
  EventsSinceResponse,
  PushedFigures,
  ServerToClientEvents,
} from '@mt/contracts';
import { Client as PgClient } from 'pg';
import { io, Socket } from 'socket.io-client';
import { createTestApp, scheduledJobsOn, TestApp } from '../../test/test-app';
import { waitFor } from '../../test/wait-for';
import { AdvisoryLocks } from '../database/advisory-lock';
import { shopifyDelivery, shopifyOrder, SHOPIFY_SECRET } from '../orders/fixtures/webhook-fixtures';
import { DomainEvents } from './domain-events';
import { METRICS_PUSH_GAP_MS, METRICS_PUSH_JOB, MetricsPush } from './metrics-push';
import { RELAY_MESSAGE_BYTES } from './postgres-io.adapter';
import { RealtimeGateway } from './realtime.gateway';
import { RecentEventsJob } from './recent-events.job';
import { RecentEventsRepository } from './recent-events.repository';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const ORDER: ClientEventMap['order.created'] = {
  platform: 'etsy',
  orderNumber: '3012345678',
  amount: 42.5,
  currency: 'GBP',
  country: 'GB',
  titles: ['The Ink Road'],
  createdAt: '2026-03-31T12:00:00.000Z',
};

/** A Socket.IO client as the dashboard makes it (WebSocket transport), without automatic reconnection. */
function connect(baseUrl: string, options: { token?: string; headers?: Record<string, string> } = {}): Client {
  return io(baseUrl, {
    path: '/ws',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: options.token ? { token: options.token } : {},
    extraHeaders: options.headers,
  });
}

/** Resolves on `connect`, rejects with the server's reason on `connect_error`. */
function connected(socket: Client): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
}

function next<K extends ClientEventName>(
  socket: Client,
  name: K,
): Promise<{ payload: ClientEventMap[K]; meta: EventMeta }> {
  return new Promise((resolve) => {
    const untyped = socket as unknown as { once(event: string, listener: (...args: unknown[]) => void): void };
    untyped.once(name, (payload, meta) => resolve({ payload: payload as ClientEventMap[K], meta: meta as EventMeta }));
  });
}

type Push = ClientEventMap['metrics.changed'];

/** Every `metrics.changed` with figures that `socket` receives from a push that started after `since`. */
function pushesTo(socket: Client, since: Date): Push[] {
  const pushes: Push[] = [];
  socket.on('metrics.changed', (payload) => {
    if (payload.figures && Date.parse(payload.at) > since.getTime()) pushes.push(payload);
  });
  return pushes;
}

/**
 * Holds the push's advisory lock from outside the apps, so that no push can run until `release()`;
 * `since`: the database's clock once it is held (a push still on its way from before started earlier).
 */
async function holdPushLock(url: string): Promise<{ since: Date; release(): Promise<void> }> {
  const db = new PgClient({ connectionString: url });
  await db.connect();
  await db.query(`SELECT pg_advisory_lock(x'6d74696e'::int, hashtext($1))`, [METRICS_PUSH_JOB]);
  const { rows } = await db.query<{ now: Date }>(`SELECT now()`);
  return {
    since: rows[0]!.now,
    async release() {
      await db.end();
    },
  };
}

/** Shopify order webhooks of orders placed now, so that they count in today's figures. */
async function postOrdersNow(app: TestApp, first: number, count: number): Promise<void> {
  const createdAt = new Date().toISOString();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const delivery = shopifyDelivery(shopifyOrder({ id: first + i, name: `#${first + i}`, created_at: createdAt }));
      await app.anonymous().post('/api/webhooks/shopify').set(delivery.headers).send(delivery.body).expect(200);
    }),
  );
}

/** Figures that only a test would push: enough for `isMetricsPush` and to tell two pushes apart. */
function figuresMarked(orders: number): PushedFigures {
  return { hero: { today: { orders } }, summary: {} } as unknown as PushedFigures;
}

/** The next `count` events of the given names (and `wanted`) that `socket` receives, in the order it got them. */
function collect(
  socket: Client,
  names: ClientEventName[],
  count: number,
  wanted: (payload: unknown) => boolean = () => true,
): Promise<Array<{ name: string; payload: unknown }>> {
  const untyped = socket as unknown as { on(event: string, listener: (...args: unknown[]) => void): void };
  const seen: Array<{ name: string; payload: unknown }> = [];
  return new Promise((resolve) => {
    for (const name of names)
      untyped.on(name, (payload) => {
        if (!wanted(payload)) return;
        seen.push({ name, payload });
        if (seen.length === count) resolve(seen);
      });
  });
}

/** Every message the Socket.IO adapter sends between instances, as it is on the database (NOTIFY). */
async function adapterMessages(url: string): Promise<{ payloads: string[]; stop(): Promise<void> }> {
  const db = new PgClient({ connectionString: url });
  await db.connect();
  const payloads: string[] = [];
  db.on('notification', (message) => payloads.push(message.payload ?? ''));
  await db.query(`LISTEN "socket.io#/"`);
  return { payloads, stop: () => db.end() };
}

function eventsSince(socket: Client, since: string): Promise<EventsSinceResponse> {
  return new Promise((resolve) => socket.emit('events.since', { since }, resolve));
}

describe('realtime gateway on /ws', () => {
  let testApp: TestApp;
  const sockets: Client[] = [];
  const open = (options: Parameters<typeof connect>[1]) => {
    const socket = connect(testApp.baseUrl, options);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await testApp.close();
  });

  async function sessionCookie(): Promise<string> {
    const res = await testApp
      .anonymous()
      .post('/api/auth/login')
      .send({ email: testApp.users.viewer.email, password: testApp.users.viewer.password })
      .expect(200);
    return (res.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
  }

  describe('handshake', () => {
    it('refuses a connection without credentials', async () => {
      await expect(connected(open({}))).rejects.toThrow('unauthorized');
    });

    it('refuses an unknown or revoked token', async () => {
      await expect(connected(open({ token: 'mtk_forged' }))).rejects.toThrow('unauthorized');
      const created = await testApp.as('admin').post('/api/auth/tokens').send({ name: 'socket' }).expect(201);
      await testApp.as('admin').delete(`/api/auth/tokens/${created.body.token.id}`).expect(204);
      await expect(connected(open({ token: created.body.secret }))).rejects.toThrow('unauthorized');
    });

    it('accepts an API token in auth.token or in Authorization: Bearer', async () => {
      await connected(open({ token: testApp.users.viewer.token }));
      await connected(open({ headers: { Authorization: `Bearer ${testApp.users.viewer.token}` } }));
    });

    it('accepts the session cookie from our own origin, and refuses it from a foreign page', async () => {
      const cookie = await sessionCookie();
      await connected(open({ headers: { Cookie: cookie, Origin: testApp.baseUrl } }));
      await expect(connected(open({ headers: { Cookie: cookie, Origin: 'https://evil.example' } }))).rejects.toThrow(
        'unauthorized',
      );
    });
  });

  describe('revocation', () => {
    function disconnected(socket: Client): Promise<string> {
      return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    }

    it('drops a connection whose token is revoked, and leaves the others', async () => {
      const created = await testApp.as('admin').post('/api/auth/tokens').send({ name: 'wall screen' }).expect(201);
      const screen = open({ token: created.body.secret });
      const other = open({ token: testApp.users.admin.token });
      await Promise.all([connected(screen), connected(other)]);
      const gone = disconnected(screen);
      await testApp.as('admin').delete(`/api/auth/tokens/${created.body.token.id}`).expect(204);
      expect(await gone).toBe('io server disconnect');
      expect(other.connected).toBe(true);
    });

    it('drops the connections of a session that logs out and of a user who is removed', async () => {
      const cookie = await sessionCookie();
      const invited = await testApp
        .as('admin')
        .post('/api/users')
        .send({ email: 'gone@example.com', role: 'viewer', password: 'gone-password' })
        .expect(201);
      const token = (
        await testApp.as('admin').post('/api/auth/tokens').send({ name: 'gone', userId: invited.body.id }).expect(201)
      ).body.secret as string;
      const bySession = open({ headers: { Cookie: cookie } });
      const byUser = open({ token });
      await Promise.all([connected(bySession), connected(byUser)]);
      const sessionGone = disconnected(bySession);
      await testApp.anonymous().post('/api/auth/logout').set('Cookie', cookie).expect(204);
      expect(await sessionGone).toBe('io server disconnect');
      const userGone = disconnected(byUser);
      await testApp.as('admin').delete(`/api/users/${invited.body.id}`).expect(204);
      expect(await userGone).toBe('io server disconnect');
    });
  });

  describe('events', () => {
    it('delivers a published domain event to every client with its exact payload, and buffers it', async () => {
      const first = open({ token: testApp.users.viewer.token });
      const second = open({ token: testApp.users.admin.token });
      await Promise.all([connected(first), connected(second)]);
      const received = Promise.all([next(first, 'order.created'), next(second, 'order.created')]);
      testApp.app.get(DomainEvents).publish('order.created', ORDER);
      const [a, b] = await received;
      expect(a.payload).toEqual(ORDER);
      expect(b).toEqual(a);
      expect(a.meta).toEqual({
        id: expect.stringMatching(/^\d+$/),
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      });
      const stored = await testApp.db.dataSource.query(
        `SELECT id::text AS id, name, payload FROM realtime_events WHERE id = $1`,
        [a.meta.id],
      );
      expect(stored).toEqual([{ id: a.meta.id, name: 'order.created', payload: ORDER }]);
    });

    it('sends events in the order they were published', async () => {
      const socket = open({ token: testApp.users.viewer.token });
      await connected(socket);
      const reasons: string[] = [];
      const all = new Promise<void>((resolve) => {
        socket.on('metrics.changed', (payload) => {
          if (payload.figures) return; // the push after the previous test's order, not one of these
          reasons.push(payload.reason);
          if (reasons.length === 20) resolve();
        });
      });
      for (let i = 0; i < 20; i++)
        testApp.app.get(DomainEvents).publish('metrics.changed', { reason: `r${i}`, at: ORDER.createdAt });
      await all;
      expect(reasons).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`));
    });

    it('goes on sending when a burst cannot be relayed to the other instances (its NOTIFY failed)', async () => {
      const socket = open({ token: testApp.users.viewer.token });
      await connected(socket);
      const received = collect(socket, ['source.synced'], 30);
      // The Socket.IO server's adapter (Postgres): its NOTIFY for the first burst fails, as on a lost connection.
      const adapter = testApp.app.get(RealtimeGateway)['server'].sockets.adapter as unknown as {
        publishAndReturnOffset(message: unknown): Promise<string>;
      };
      const publish = jest
        .spyOn(adapter, 'publishAndReturnOffset')
        .mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
      try {
        const synced = (i: number) => ({ source: `unrelayed-${i}`, at: ORDER.createdAt, error: null });
        // The first goes alone; the 29 published meanwhile wait behind its failed relay.
        for (let i = 0; i < 30; i++) testApp.app.get(DomainEvents).publish('source.synced', synced(i));
        expect((await received).map((e) => e.payload)).toEqual(Array.from({ length: 30 }, (_, i) => synced(i)));
        expect(publish.mock.calls.length).toBeGreaterThanOrEqual(2);
      } finally {
        publish.mockRestore();
      }
    });

    it('sends only the last figures push of a burst, where it was, and every other event of it', async () => {
      const socket = open({ token: testApp.users.viewer.token });
      await connected(socket);
      // The push the first test's order causes is out first (on a busy machine its figures take seconds):
      // published during this burst, it would be the burst's last figures, and the only ones sent.
      const push = testApp.app.get(MetricsPush);
      await waitFor(() => !push['stale'] && push['timer'] === null && push['computing'] === null, 'an idle push');
      // Not that push: only these.
      const received = collect(
        socket,
        ['upload.completed', 'metrics.changed'],
        3,
        (payload) => (payload as { reason?: string }).reason !== 'orders',
      );
      const events = testApp.app.get(DomainEvents);
      const upload = (files: number) => ({ files, imported: 0, rejected: 0, at: ORDER.createdAt });
      // The first event goes out alone; the rest come while it is being stored, and make one burst.
      events.publish('upload.completed', upload(1));
      events.publish('metrics.changed', { reason: 'test', at: ORDER.createdAt, figures: figuresMarked(1) });
      events.publish('upload.completed', upload(2));
      events.publish('metrics.changed', { reason: 'test', at: ORDER.createdAt, figures: figuresMarked(2) });
      expect(await received).toEqual([
        { name: 'upload.completed', payload: upload(1) },
        { name: 'upload.completed', payload: upload(2) },
        { name: 'metrics.changed', payload: { reason: 'test', at: ORDER.createdAt, figures: figuresMarked(2) } },
      ]);
    });

    it('lets a reconnecting client fetch what it missed since the last event it saw', async () => {
      const events = testApp.app.get(DomainEvents);
      const before = open({ token: testApp.users.viewer.token });
      await connected(before);
      const seen = next(before, 'source.synced');
      events.publish('source.synced', { source: 'etsy', at: ORDER.createdAt, error: null });
      const last = await seen;
      before.disconnect();

      // While it is away: an upload finishes and an order arrives.
      const upload = { files: 2, imported: 1, rejected: 1, at: ORDER.createdAt };
      const watcher = open({ token: testApp.users.admin.token });
      await connected(watcher);
      const delivered = next(watcher, 'order.updated');
      events.publish('upload.completed', upload);
      events.publish('order.updated', ORDER);
      await delivered;

      const again = open({ token: testApp.users.viewer.token });
      await connected(again);
      const missed = await eventsSince(again, last.meta.at);
      expect(missed.complete).toBe(true);
      expect(missed.events.map(({ name, payload }) => ({ name, payload }))).toEqual([
        { name: 'upload.completed', payload: upload },
        { name: 'order.updated', payload: ORDER },
      ]);
      expect(Number(missed.events[0]!.id)).toBeGreaterThan(Number(last.meta.id));
    });

    it('says when the buffer cannot cover the gap (older than 24 hours)', async () => {
      const socket = open({ token: testApp.users.viewer.token });
      await connected(socket);
      const answer = await eventsSince(socket, new Date(Date.now() - 25 * 3600_000).toISOString());
      expect(answer.complete).toBe(false);
    });

    it('answers a malformed since with an exception event naming the field', async () => {
      const socket = open({ token: testApp.users.viewer.token });
      await connected(socket);
      const exception = new Promise((resolve) => (socket as unknown as Socket).once('exception', resolve));
      socket.emit('events.since', { since: 'yesterday' }, () => undefined);
      expect(await exception).toEqual({
        status: 'error',
        message: 'since must be an ISO 8601 date-time with offset, e.g. a meta.at',
        cause: { pattern: 'events.since', data: { since: 'yesterday' } },
      });
    });

    it('keeps the buffer bounded: the prune job drops events older than 24 hours', async () => {
      await testApp.db.dataSource.query(
        `INSERT INTO realtime_events (name, payload, occurred_at) VALUES ('metrics.changed', '{}', now() - interval '25 hours')`,
      );
      const job = new RecentEventsJob(testApp.app.get(RecentEventsRepository), scheduledJobsOn(testApp));
      expect(await job.prune()).toBe('ran');
      const old = await testApp.db.dataSource.query(
        `SELECT count(*)::int AS n FROM realtime_events WHERE occurred_at < now() - interval '24 hours'`,
      );
      expect(old).toEqual([{ n: 0 }]);
    });
  });
});

describe('metrics push', () => {
  let t: TestApp;
  const sockets: Client[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET } });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await t.close();
  });

  it('computes the figures once for a burst of orders and pushes what the endpoints answer at that moment', async () => {
    const socket = connect(t.baseUrl, { token: t.users.viewer.token });
    sockets.push(socket);
    await connected(socket);
    // While the lock is held no push can run: the whole burst is stale when it is released.
    const lock = await holdPushLock(t.db.url);
    const pushes = pushesTo(socket, lock.since);
    await postOrdersNow(t, 8_800_000, 10);
    await lock.release();
    await waitFor(() => pushes.length > 0, 'a push');

    const [push] = pushes as [Push];
    expect(push.reason).toBe('orders');
    expect(push.figures!.hero.today.orders).toBe(10);
    const now = push.at;
    const hero = await t.as('viewer').get('/api/comparison/today-vs-yesterday').query({ now }).expect(200);
    const summary = await t.as('viewer').get('/api/metrics/summary').query({ now }).expect(200);
    expect(push.figures).toEqual({
      hero: hero.body,
      summary: summary.body,
      watermark: expect.stringMatching(/^\d+:\d+:[\d,]*$/),
    });
    // Figures are state, not news: the buffer for reconnecting clients keeps the orders, not the push.
    const buffered = await t.db.dataSource.query(
      `SELECT name, count(*)::int AS n FROM realtime_events GROUP BY name ORDER BY name`,
    );
    expect(buffered).toEqual([{ name: 'order.created', n: 10 }]);
  });

  it('waits for the gap after its own push instead of asking for the lock in vain meanwhile', async () => {
    const socket = connect(t.baseUrl, { token: t.users.viewer.token });
    sockets.push(socket);
    await connected(socket);
    const pushes = pushesTo(socket, new Date(0));
    await postOrdersNow(t, 8_800_100, 1);
    await waitFor(() => pushes.length === 1, 'the first push');
    const turns = jest.spyOn(t.app.get(AdvisoryLocks), 'runExclusive');
    try {
      // Changes within the gap after that push: the next push asks once, when the gap is over.
      await postOrdersNow(t, 8_800_200, 1);
      await waitFor(() => pushes.length === 2, 'the second push');
      expect(pushes[1]!.figures!.hero.today.orders).toBe(12);
      expect(turns.mock.calls.filter(([job]) => job === METRICS_PUSH_JOB)).toHaveLength(1);
    } finally {
      turns.mockRestore();
    }
  });
});

describe('two API instances on one database', () => {
  let first: TestApp;
  let second: TestApp;
  const sockets: Client[] = [];

  beforeAll(async () => {
    first = await createTestApp({ env: { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET } });
    second = await createTestApp({ db: first.db, env: { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET } });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await second.close();
    await first.close();
  });

  it('delivers an order webhook posted to one instance to the clients of both, once each', async () => {
    const onFirst = connect(first.baseUrl, { token: first.users.viewer.token });
    const onSecond = connect(second.baseUrl, { token: second.users.viewer.token });
    sockets.push(onFirst, onSecond);
    await Promise.all([connected(onFirst), connected(onSecond)]);
    const counts = { first: 0, second: 0 };
    onFirst.on('order.created', () => counts.first++);
    onSecond.on('order.created', () => counts.second++);
    const received = Promise.all([next(onFirst, 'order.created'), next(onSecond, 'order.created')]);

    const delivery = shopifyDelivery(shopifyOrder({ id: 7770001, name: '#7770001' }));
    await first.anonymous().post('/api/webhooks/shopify').set(delivery.headers).send(delivery.body).expect(200);
    const [a, b] = await received;
    expect(a.payload).toEqual({
      platform: 'shopify',
      orderNumber: '#7770001',
      amount: 86,
      currency: 'USD',
      country: 'DE',
      titles: ['The Salt Road', 'Lanterns of Kell'],
      createdAt: '2025-05-14T13:12:44.000Z',
      hero: { day: '2025-05-14', orders: 1, revenue: '86.00', commit: expect.stringMatching(/^\d+$/) },
    });
    expect(b).toEqual(a);

    // A second event through the same path: if either client had a duplicate of the first, it is here by now.
    const marker = Promise.all([next(onFirst, 'metrics.changed'), next(onSecond, 'metrics.changed')]);
    first.app.get(DomainEvents).publish('metrics.changed', { reason: 'marker', at: '2026-03-31T12:00:00.000Z' });
    await marker;
    expect(counts).toEqual({ first: 1, second: 1 });
  });

  /** A client of the second instance, and the adapter's messages between the two. */
  async function watchRelay(): Promise<{ onSecond: Client; adapter: Awaited<ReturnType<typeof adapterMessages>> }> {
    const onSecond = connect(second.baseUrl, { token: second.users.viewer.token });
    sockets.push(onSecond);
    await connected(onSecond);
    return { onSecond, adapter: await adapterMessages(first.db.url) };
  }

  it('relays a burst to the other instance in one NOTIFY, not one per event, in order', async () => {
    const { onSecond, adapter } = await watchRelay();
    const received = collect(onSecond, ['source.synced'], 30);
    const events = first.app.get(DomainEvents);
    const synced = (i: number) => ({ source: `burst-${i}`, at: ORDER.createdAt, error: null });
    // The first event goes alone; the 29 published meanwhile make the second burst.
    for (let i = 0; i < 30; i++) events.publish('source.synced', synced(i));
    expect((await received).map((e) => e.payload)).toEqual(Array.from({ length: 30 }, (_, i) => synced(i)));
    await adapter.stop();
    const carrying = adapter.payloads.filter((payload) => payload.includes('"burst-'));
    expect(carrying).toHaveLength(2);
  });

  it('cuts a large burst into messages that each fit in one NOTIFY, delivered whole and in order', async () => {
    const { onSecond, adapter } = await watchRelay();
    const received = collect(onSecond, ['order.created'], 201);
    const events = first.app.get(DomainEvents);
    for (let i = 0; i <= 200; i++) events.publish('order.created', { ...ORDER, orderNumber: `L${i}` });
    expect((await received).map((e) => (e.payload as ClientEventMap['order.created']).orderNumber)).toEqual(
      Array.from({ length: 201 }, (_, i) => `L${i}`),
    );
    await adapter.stop();
    const carrying = adapter.payloads.filter((payload) => payload.includes('"L'));
    // 200 events of ~400 bytes cannot go in one message; none may need the attachments table.
    expect(carrying.length).toBeGreaterThan(2);
    expect(carrying.length).toBeLessThan(201);
    for (const payload of carrying) expect(Buffer.byteLength(payload)).toBeLessThan(RELAY_MESSAGE_BYTES + 1000);
    expect(adapter.payloads.filter((payload) => payload.includes('attachmentId'))).toEqual([]);
  });

  it('pushes the figures at most once a second across instances, each push to every client once', async () => {
    const onFirst = connect(first.baseUrl, { token: first.users.viewer.token });
    const onSecond = connect(second.baseUrl, { token: second.users.viewer.token });
    sockets.push(onFirst, onSecond);
    await Promise.all([connected(onFirst), connected(onSecond)]);
    const lock = await holdPushLock(first.db.url);
    const [seenOnFirst, seenOnSecond] = [pushesTo(onFirst, lock.since), pushesTo(onSecond, lock.since)];
    await Promise.all([postOrdersNow(first, 8_900_000, 5), postOrdersNow(second, 8_900_100, 5)]);
    await lock.release();

    // Both instances had stale figures: each computes once, in turn, at least the gap apart.
    await waitFor(() => seenOnFirst.length >= 2 && seenOnSecond.length >= 2, 'two pushes on each client');
    const [a, b] = seenOnFirst as [Push, Push];
    expect([a.figures!.hero.today.orders, b.figures!.hero.today.orders]).toEqual([10, 10]);
    expect(Date.parse(b.at) - Date.parse(a.at)).toBeGreaterThanOrEqual(METRICS_PUSH_GAP_MS);
    expect(seenOnSecond.slice(0, 2)).toEqual([a, b]);
  });

  it('lets a client of an instance that went away catch up on the other, missing nothing', async () => {
    const third = await createTestApp({ db: first.db, env: { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET } });
    const onThird = connect(third.baseUrl, { token: third.users.viewer.token });
    sockets.push(onThird);
    await connected(onThird);
    const seen = next(onThird, 'source.synced');
    first.app.get(DomainEvents).publish('source.synced', { source: 'etsy', at: ORDER.createdAt, error: null });
    const last = await seen;
    const gone = new Promise((resolve) => onThird.once('disconnect', resolve));
    await third.close();
    await gone;

    // While it reconnects, the other instances go on: an order arrives through each.
    const events = [first, second].map((app, i) => ({ ...ORDER, amount: 10 + i, app }));
    const watcher = connect(first.baseUrl, { token: first.users.admin.token });
    sockets.push(watcher);
    await connected(watcher);
    for (const { app, ...payload } of events) {
      const delivered = next(watcher, 'order.created');
      app.app.get(DomainEvents).publish('order.created', payload);
      await delivered;
    }

    // The load balancer sends it to a surviving instance; it asks for what it missed since its last event.
    const again = connect(second.baseUrl, { token: second.users.viewer.token });
    sockets.push(again);
    await connected(again);
    const missed = await eventsSince(again, last.meta.at);
    expect(missed.complete).toBe(true);
    expect(missed.events.filter((e) => e.name === 'order.created').map((e) => e.payload)).toEqual(
      events.map(({ app: _app, ...payload }) => payload),
    );
  });

  it('drops the connections on the other instance too when a token is revoked', async () => {
    const created = await first.as('admin').post('/api/auth/tokens').send({ name: 'elsewhere' }).expect(201);
    const onSecond = connect(second.baseUrl, { token: created.body.secret });
    sockets.push(onSecond);
    await connected(onSecond);
    const gone = new Promise((resolve) => onSecond.once('disconnect', resolve));
    await first.as('admin').delete(`/api/auth/tokens/${created.body.token.id}`).expect(204);
    expect(await gone).toBe('io server disconnect');
  });

  it('runs a scheduled job body on one instance only when both fire at once', async () => {
    const prunes = [first, second].map((app) => jest.spyOn(app.app.get(RecentEventsRepository), 'prune'));
    const [onFirst, onSecond] = [first, second].map(
      (app) => new RecentEventsJob(app.app.get(RecentEventsRepository), scheduledJobsOn(app)),
    ) as [RecentEventsJob, RecentEventsJob];
    try {
      await Promise.all([onFirst.prune(), onSecond.prune()]);
      // The job's minimum gap also covers an instance whose timer fires a moment after the first run ended.
      expect(await onSecond.prune()).toBe('ran-elsewhere');
      expect(prunes.map((spy) => spy.mock.calls.length).reduce((sum, n) => sum + n, 0)).toBe(1);
    } finally {
      prunes.forEach((spy) => spy.mockRestore());
    }
  });

  it('lets one instance hold a job lock while the other skips it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const running = first.app.get(AdvisoryLocks).runExclusive('test.exclusive', () => held.then(() => 'done'));
    // Wait until the first instance really holds the lock before the second tries: this job's lock in
    // this database (pg_locks lists every database's, and other test files take advisory locks too).
    for (;;) {
      const [row] = await first.db.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_locks
         WHERE locktype = 'advisory' AND granted AND objid = hashtext('test.exclusive')::oid
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      if (row.n > 0) break;
    }
    await expect(
      second.app.get(AdvisoryLocks).runExclusive('test.exclusive', async () => 'ran twice'),
    ).resolves.toEqual({ ran: false, reason: 'locked' });
    release();
    await expect(running).resolves.toEqual({ ran: true, result: 'done' });
    await expect(second.app.get(AdvisoryLocks).runExclusive('test.exclusive', async () => 'after')).resolves.toEqual({
      ran: true,
      result: 'after',
    });
  });
});
