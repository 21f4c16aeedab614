import type {
  ClientEventMap,
  ClientEventName,
  ClientToServerEvents,
  EventMeta,
  EventsSinceResponse,
  ServerToClientEvents,
} from '@mt/contracts';
import { io, Socket } from 'socket.io-client';
import { createTestApp, scheduledJobsOn, TestApp } from '../../test/test-app';
import { AdvisoryLocks } from '../database/advisory-lock';
import { shopifyDelivery, shopifyOrder, SHOPIFY_SECRET } from '../orders/fixtures/webhook-fixtures';
import { DomainEvents } from './domain-events';
import { RecentEventsJob } from './recent-events.job';
import { RecentEventsRepository } from './recent-events.repository';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const ORDER: ClientEventMap['order.created'] = {
  platform: 'etsy',
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
          reasons.push(payload.reason);
          if (reasons.length === 20) resolve();
        });
      });
      for (let i = 0; i < 20; i++)
        testApp.app.get(DomainEvents).publish('metrics.changed', { reason: `r${i}`, at: ORDER.createdAt });
      await all;
      expect(reasons).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`));
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
      amount: 86,
      currency: 'USD',
      country: 'DE',
      titles: ['The Salt Road', 'Lanterns of Kell'],
      createdAt: '2025-05-14T13:12:44.000Z',
    });
    expect(b).toEqual(a);

    // A second event through the same path: if either client had a duplicate of the first, it is here by now.
    const marker = Promise.all([next(onFirst, 'metrics.changed'), next(onSecond, 'metrics.changed')]);
    first.app.get(DomainEvents).publish('metrics.changed', { reason: 'marker', at: '2026-03-31T12:00:00.000Z' });
    await marker;
    expect(counts).toEqual({ first: 1, second: 1 });
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
    // Wait until the first instance really holds the lock before the second tries.
    for (;;) {
      const [row] = await first.db.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted`,
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
