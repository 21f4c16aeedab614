import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { HeroShare, MetricsSummaryResponse, PushedFigures, TodayVsYesterdayResponse } from '@mt/contracts';
import { AnalyticsApi } from './analytics-api.service';
import { OrderToastsService, TOAST_MS } from './order-toasts.service';
import { RefreshService } from './refresh.service';
import { RECONNECT, SPREAD_MS, SocketService, backoffDelay } from './socket.service';

const ORDER = {
  platform: 'shopify' as const,
  orderNumber: '#1047',
  amount: 86,
  currency: 'USD',
  country: 'DE',
  titles: ['The Harbour Quill'],
  createdAt: '2026-03-10T13:00:00Z',
};

function hero(asOf: string, orders: number): TodayVsYesterdayResponse {
  const window = { from: '2026-03-10T00:00:00+01:00', to: asOf, orders, revenue: orders * 10, aov: 10 };
  return {
    timezone: 'Europe/Berlin',
    currency: 'USD',
    asOf,
    today: window,
    yesterday: window,
    yesterdayFullDay: window,
    change: { orders: 0, revenue: 0, aov: 0 },
    warnings: [],
  };
}

/** Figures read in a snapshot that includes every commit below `includedBelow` (and none from it on). */
function pushed(asOf: string, orders: number, includedBelow = 100): PushedFigures {
  return {
    hero: hero(asOf, orders),
    summary: { asOf } as MetricsSummaryResponse,
    watermark: `${includedBelow}:${includedBelow}:`,
  };
}

/** An order of 2026-03-10 (the day of `hero`) that adds 12.34 to it, stored by transaction `commit`. */
function orderWithShare(commit: number): typeof ORDER & { hero: HeroShare } {
  return { ...ORDER, hero: { day: '2026-03-10', orders: 1, revenue: '12.34', commit: String(commit) } };
}

function push(at: string, figures: PushedFigures) {
  return { reason: 'orders', at, figures };
}

/** Every refresh request of `topic`, as the cards of that topic would see them. */
function refreshesOf(topic: 'sales' | 'alerts' | 'spotify'): string[] {
  const seen: string[] = [];
  TestBed.inject(RefreshService)
    .on(topic)
    .subscribe((requested) => seen.push(requested));
  return seen;
}

describe('SocketService events', () => {
  afterEach(() => vi.useRealTimers());

  it('shows a new order for 5 s and asks for nothing: the push that follows carries the figures', () => {
    vi.useFakeTimers();
    TestBed.configureTestingModule({});
    const socket = TestBed.inject(SocketService);
    const toasts = TestBed.inject(OrderToastsService);
    const topics = refreshesOf('sales');

    socket.handle('order.created', { ...ORDER, titles: ['The Ink Road'] });
    expect(toasts.toasts()).toHaveLength(1);
    expect(toasts.toasts()[0]).toMatchObject({ kind: 'order', order: { amount: 86 } });

    vi.advanceTimersByTime(TOAST_MS - 1);
    expect(toasts.toasts()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(toasts.toasts()).toHaveLength(0);
    expect(topics).toEqual([]);
  });

  it('shows a fired alert for 5 s and refreshes the alerts card only', () => {
    vi.useFakeTimers();
    TestBed.configureTestingModule({});
    const socket = TestBed.inject(SocketService);
    const toasts = TestBed.inject(OrderToastsService);
    const alerts: string[] = [];
    const sales: string[] = [];
    TestBed.inject(RefreshService)
      .on('alerts')
      .subscribe((topic) => alerts.push(topic));
    TestBed.inject(RefreshService)
      .on('sales')
      .subscribe((topic) => sales.push(topic));
    const alert = {
      id: 7,
      kind: 'week_orders' as const,
      ruleName: '100 orders this week',
      subject: 'MT Ink: 100 orders this week, milestone 100 reached',
      firedAt: '2026-11-26T09:45:00+01:00',
    };

    socket.handle('alert.fired', alert);
    expect(toasts.toasts()).toEqual([{ id: 1, kind: 'alert', alert }]);
    expect(alerts).toEqual(['alerts']);
    expect(sales).toEqual([]);
    vi.advanceTimersByTime(TOAST_MS);
    expect(toasts.toasts()).toEqual([]);
  });

  it('refreshes Spotify cards after an upload elsewhere, without a toast', () => {
    TestBed.configureTestingModule({});
    const socket = TestBed.inject(SocketService);
    const spotify: string[] = [];
    const sales: string[] = [];
    TestBed.inject(RefreshService)
      .on('spotify')
      .subscribe((topic) => spotify.push(topic));
    TestBed.inject(RefreshService)
      .on('sales')
      .subscribe((topic) => sales.push(topic));
    socket.handle('upload.completed', { files: 1, imported: 1, rejected: 0, at: '2026-03-10T13:00:00Z' });
    expect(spotify).toEqual(['spotify']);
    expect(sales).toEqual([]);
    expect(TestBed.inject(OrderToastsService).toasts()).toEqual([]);
  });
});

describe('SocketService pushed figures', () => {
  afterEach(() => vi.useRealTimers());

  it('applies pushed figures to the hero without a request, keeping the newest, and refreshes nothing', () => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    const http = TestBed.inject(HttpTestingController);
    const socket = TestBed.inject(SocketService);
    const sales = refreshesOf('sales');
    const shown: number[] = [];
    TestBed.inject(AnalyticsApi)
      .todayVsYesterday()
      .subscribe((answer) => shown.push(answer.today.orders));
    http.expectOne('/api/comparison/today-vs-yesterday').flush(hero('2026-03-10T13:00:00+01:00', 3));

    socket.handle('metrics.changed', {
      reason: 'orders',
      at: '2026-03-10T12:00:01Z',
      figures: pushed('2026-03-10T13:00:01+01:00', 4),
    });
    // A push that arrives late (older than the one shown) changes nothing.
    socket.handle('metrics.changed', {
      reason: 'orders',
      at: '2026-03-10T11:59:59Z',
      figures: pushed('2026-03-10T12:59:59+01:00', 2),
    });
    socket.handle('metrics.changed', {
      reason: 'orders',
      at: '2026-03-10T12:00:02Z',
      figures: pushed('2026-03-10T13:00:02+01:00', 5),
    });
    expect(shown).toEqual([3, 4, 5]);
    http.verify();
    expect(sales).toEqual([]);
  });

  it('keeps a push that overtook the first fetch over the older answer', () => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    const http = TestBed.inject(HttpTestingController);
    const shown: number[] = [];
    TestBed.inject(AnalyticsApi)
      .todayVsYesterday()
      .subscribe((answer) => shown.push(answer.today.orders));
    TestBed.inject(SocketService).handle('metrics.changed', {
      reason: 'orders',
      at: '2026-03-10T12:00:05Z',
      figures: pushed('2026-03-10T13:00:05+01:00', 9),
    });
    http.expectOne('/api/comparison/today-vs-yesterday').flush(hero('2026-03-10T13:00:00+01:00', 8));
    expect(shown).toEqual([9]);
  });

  it('refetches the sales cards, spread over a few seconds, when figures moved without a push (new rates)', () => {
    vi.useFakeTimers();
    TestBed.configureTestingModule({});
    const sales = refreshesOf('sales');
    TestBed.inject(SocketService).handle('metrics.changed', { reason: 'exchange rates', at: '2026-03-10T12:00:00Z' });
    expect(sales).toEqual([]);
    vi.advanceTimersByTime(SPREAD_MS);
    expect(sales).toEqual(['sales']);
  });
});

describe('SocketService: the hero follows the orders between pushes', () => {
  /** The hero as the card shows it, (orders, revenue) after each change. */
  function shownHero(): Array<[number, number]> {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    const shown: Array<[number, number]> = [];
    TestBed.inject(AnalyticsApi)
      .todayVsYesterday()
      .subscribe((answer) => shown.push([answer.today.orders, answer.today.revenue]));
    TestBed.inject(HttpTestingController)
      .expectOne('/api/comparison/today-vs-yesterday')
      .flush(hero('2026-03-10T13:00:00+01:00', 3));
    return shown;
  }

  it('adds an order that comes before the push including it, and does not count it again when that push comes', () => {
    const shown = shownHero();
    const socket = TestBed.inject(SocketService);
    socket.handle('metrics.changed', push('2026-03-10T12:00:01Z', pushed('2026-03-10T13:00:01+01:00', 3, 100)));
    socket.handle('order.created', orderWithShare(100), { id: '7', at: '2026-03-10T12:00:01.5Z' });
    socket.handle('metrics.changed', push('2026-03-10T12:00:02Z', pushed('2026-03-10T13:00:02+01:00', 4, 101)));
    // The fetch, the first push (a later "as of"), the order, and the push that includes it.
    expect(shown).toEqual([
      [3, 30],
      [3, 30],
      [4, 42.34],
      [4, 40],
    ]);
  });

  it('adds nothing for an order whose event comes after a push that includes it', () => {
    const shown = shownHero();
    const socket = TestBed.inject(SocketService);
    socket.handle('metrics.changed', push('2026-03-10T12:00:02Z', pushed('2026-03-10T13:00:02+01:00', 4, 101)));
    socket.handle('order.created', orderWithShare(100), { id: '7', at: '2026-03-10T12:00:01.5Z' });
    expect(shown).toEqual([
      [3, 30],
      [4, 40],
    ]);
  });

  it('counts an event that arrives twice once, and adds each of several orders in cents', () => {
    const shown = shownHero();
    const socket = TestBed.inject(SocketService);
    socket.handle('metrics.changed', push('2026-03-10T12:00:01Z', pushed('2026-03-10T13:00:01+01:00', 3, 100)));
    socket.handle('order.created', orderWithShare(100), { id: '7', at: '2026-03-10T12:00:01.5Z' });
    socket.handle('order.created', orderWithShare(100), { id: '7', at: '2026-03-10T12:00:01.5Z' });
    socket.handle('order.created', orderWithShare(102), { id: '8', at: '2026-03-10T12:00:01.6Z' });
    expect(shown.at(-1)).toEqual([5, 54.68]);
  });

  it('adds the orders missed while away once each, also those it had seen live before the outage', () => {
    const shown = shownHero();
    const socket = TestBed.inject(SocketService);
    socket.handle('metrics.changed', push('2026-03-10T12:00:01Z', pushed('2026-03-10T13:00:01+01:00', 3, 100)));
    socket.handle('order.created', orderWithShare(100), { id: '7', at: '2026-03-10T12:00:01.5Z' });
    socket.replay({
      complete: true,
      events: [
        { id: '7', name: 'order.created', payload: orderWithShare(100), at: '2026-03-10T12:00:01.5Z' },
        { id: '9', name: 'order.created', payload: orderWithShare(103), at: '2026-03-10T12:00:03Z' },
      ],
    });
    expect(shown.at(-1)).toEqual([5, 54.68]);
  });

  it('leaves an order of another day to the next push, and a fetched hero (no watermark) as it is', () => {
    const shown = shownHero();
    const socket = TestBed.inject(SocketService);
    socket.handle('order.created', orderWithShare(100), { id: '7', at: '2026-03-10T12:00:01.5Z' });
    socket.handle('metrics.changed', push('2026-03-10T12:00:01Z', pushed('2026-03-10T13:00:01+01:00', 3, 100)));
    socket.handle(
      'order.created',
      { ...ORDER, hero: { day: '2026-03-09', orders: 1, revenue: '5.00', commit: '104' } },
      { id: '8', at: '2026-03-10T12:00:02Z' },
    );
    expect(shown).toEqual([
      [3, 30],
      [4, 42.34],
    ]);
  });
});

describe('SocketService after a reconnect', () => {
  afterEach(() => vi.useRealTimers());

  it('toasts the orders it missed and refreshes each touched topic once, spread out', () => {
    vi.useFakeTimers();
    TestBed.configureTestingModule({});
    const socket = TestBed.inject(SocketService);
    const sales = refreshesOf('sales');
    const spotify = refreshesOf('spotify');
    const alerts = refreshesOf('alerts');
    socket.replay({
      complete: true,
      events: [
        { id: '1', name: 'order.created', payload: ORDER, at: '2026-03-10T12:00:00.000001Z' },
        { id: '2', name: 'order.created', payload: { ...ORDER, amount: 12 }, at: '2026-03-10T12:00:01.000001Z' },
        {
          id: '3',
          name: 'upload.completed',
          payload: { files: 1, imported: 1, rejected: 0, at: ORDER.createdAt },
          at: '2026-03-10T12:00:02.000001Z',
        },
      ],
    });
    expect(
      TestBed.inject(OrderToastsService)
        .toasts()
        .map((t) => t.kind === 'order' && t.order.amount),
    ).toEqual([86, 12]);
    vi.advanceTimersByTime(SPREAD_MS);
    expect([sales, spotify, alerts]).toEqual([['sales'], ['spotify'], []]);
  });

  it('refetches everything, spread out, when the buffer cannot cover the outage', () => {
    vi.useFakeTimers();
    TestBed.configureTestingModule({});
    const alerts = refreshesOf('alerts');
    TestBed.inject(SocketService).replay({ complete: false, events: [] });
    vi.advanceTimersByTime(SPREAD_MS);
    expect(alerts).toEqual(['all']);
  });

  it('refetches nothing when nothing happened while it was away', () => {
    vi.useFakeTimers();
    TestBed.configureTestingModule({});
    const sales = refreshesOf('sales');
    TestBed.inject(SocketService).replay({ complete: true, events: [] });
    vi.advanceTimersByTime(SPREAD_MS);
    expect(sales).toEqual([]);
  });
});

describe('backoffDelay', () => {
  it.each([
    [0, 0.5, 1_000],
    [1, 0.5, 2_000],
    [3, 0.5, 8_000],
    [10, 0.5, 30_000],
    [0, 0, 500],
    [10, 1, 45_000],
  ])('waits, on attempt %i with jitter %s, %i ms', (attempt, random, delay) => {
    expect(backoffDelay(attempt, random)).toBe(delay);
  });
});

describe('reconnecting', () => {
  it('lets Socket.IO wait at most 4.5 s between attempts, so the page is live within 5 s of the server coming back', () => {
    expect(RECONNECT.reconnectionDelayMax * (1 + RECONNECT.randomizationFactor)).toBeLessThanOrEqual(4_500);
  });
});
