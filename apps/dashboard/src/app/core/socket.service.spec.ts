import { TestBed } from '@angular/core/testing';
import { OrderToastsService, TOAST_MS } from './order-toasts.service';
import { RefreshService } from './refresh.service';
import { SocketService, backoffDelay } from './socket.service';

describe('SocketService events', () => {
  afterEach(() => vi.useRealTimers());

  it('shows a new order for 5 s and refreshes the sales cards', () => {
    vi.useFakeTimers();
    TestBed.configureTestingModule({});
    const socket = TestBed.inject(SocketService);
    const toasts = TestBed.inject(OrderToastsService);
    const topics: string[] = [];
    TestBed.inject(RefreshService)
      .on('sales')
      .subscribe((topic) => topics.push(topic));

    socket.handle('order.created', {
      platform: 'shopify',
      amount: 86,
      currency: 'USD',
      country: 'DE',
      titles: ['The Ink Road'],
      createdAt: '2026-03-10T13:00:00Z',
    });
    expect(toasts.toasts()).toHaveLength(1);
    expect(toasts.toasts()[0]).toMatchObject({ kind: 'order', order: { amount: 86 } });
    expect(topics).toEqual(['sales']);

    vi.advanceTimersByTime(TOAST_MS - 1);
    expect(toasts.toasts()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(toasts.toasts()).toHaveLength(0);
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
