import { TestBed } from '@angular/core/testing';
import { Connectivity } from '../core/connectivity.service';
import { LiveOrderEvent, OrderToastsService } from '../core/order-toasts.service';
import { SocketService } from '../core/socket.service';
import { PreferencesService } from '../core/preferences.service';
import { orderHeading } from '@mt/contracts';
import { OfflineBar, OrderToasts } from './live-status';

async function setup() {
  localStorage.clear();
  TestBed.configureTestingModule({ imports: [OrderToasts] });
  const fixture = TestBed.createComponent(OrderToasts);
  const toasts = TestBed.inject(OrderToastsService);
  toasts.show({
    platform: 'shopify',
    orderNumber: null,
    amount: 1234.5,
    currency: 'USD',
    country: 'US',
    titles: [],
    createdAt: '2026-11-26T10:00:00Z',
  });
  toasts.show({
    platform: 'woocommerce',
    orderNumber: '1047',
    titles: ['The Harbour Quill', 'Second Title'],
    amount: 86,
    currency: 'USD',
    country: 'DE',
    createdAt: '2026-11-26T10:00:00Z',
  } as LiveOrderEvent);
  toasts.showAlert({
    id: 7,
    kind: 'day_revenue',
    ruleName: 'First $1,000 day',
    subject: 'MT Ink: $1,020.00 today, milestone $1,000.00 reached',
    firedAt: '2026-11-26T10:00:00+01:00',
  });
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const text = (testId: string) => element.querySelector(`[data-testid="${testId}"]`)?.textContent?.trim();
  return { fixture, element, text };
}

describe('OrderToasts', () => {
  it('shows a new order as one line: number, first title, amount, country; and a fired alert with its subject', async () => {
    const { element, text } = await setup();
    const lines = Array.from(element.querySelectorAll('[data-testid="toast-text"]')).map((line) =>
      line.textContent?.replace(/\s+/g, ' ').trim(),
    );
    // An event without a number or titles leaves those parts out rather than showing them empty.
    expect(lines).toEqual([
      'New order · $1,234.50 · United States',
      'New order #1047 · The Harbour Quill · $86.00 · Germany',
    ]);
    expect(text('toast-alert')).toBe('MT Ink: $1,020.00 today, milestone $1,000.00 reached');
  });

  it('writes the order number with one "#", whichever way the platform numbers', () => {
    expect(orderHeading('#1047')).toBe('New order #1047');
    expect(orderHeading('1047')).toBe('New order #1047');
    expect(orderHeading(' ')).toBe('New order');
  });

  it('shows no amount while presenting', async () => {
    const { fixture, element, text } = await setup();
    TestBed.inject(PreferencesService).presenterMode.set(true);
    await fixture.whenStable();
    expect(
      Array.from(element.querySelectorAll('[data-testid="toast-amount"]')).map((a) => a.textContent?.trim()),
    ).toEqual(['•••', '•••']);
    expect(text('toast-alert')).toBe('Day revenue milestone');
    expect(element.textContent?.replace('#1047', '')).not.toMatch(/\$|\d/);
  });
});

describe('OfflineBar', () => {
  async function offlineSetup() {
    localStorage.clear();
    localStorage.setItem('mtink.zone', 'Europe/Berlin');
    TestBed.configureTestingModule({ imports: [OfflineBar] });
    const fixture = TestBed.createComponent(OfflineBar);
    await fixture.whenStable();
    const bar = () => (fixture.nativeElement as HTMLElement).querySelector('[data-testid="offline-bar"]');
    return { fixture, bar, socket: TestBed.inject(SocketService), connectivity: TestBed.inject(Connectivity) };
  }

  it('shows nothing while connected', async () => {
    const { fixture, bar, socket } = await offlineSetup();
    socket.status.set('connected');
    await fixture.whenStable();
    expect(bar()).toBeNull();
  });

  it('says "offline" with the time of the figures when the live connection is lost, and goes when it is back', async () => {
    const { fixture, bar, socket, connectivity } = await offlineSetup();
    connectivity.figuresAsOf.set('2026-03-10T14:32:10+01:00');
    socket.status.set('reconnecting');
    await fixture.whenStable();
    expect(bar()?.textContent?.trim()).toBe('offline — figures as of 14:32');
    socket.status.set('connected');
    await fixture.whenStable();
    expect(bar()).toBeNull();
  });

  it('says how old the figures are when the app starts without a network, from the time it kept', async () => {
    localStorage.clear();
    localStorage.setItem('mtink.zone', 'Europe/Berlin');
    localStorage.setItem('mtink.figuresAsOf', '2026-11-26T13:32:00Z');
    TestBed.configureTestingModule({ imports: [OfflineBar] });
    const fixture = TestBed.createComponent(OfflineBar);
    TestBed.inject(SocketService).status.set('reconnecting');
    await fixture.whenStable();
    const bar = (fixture.nativeElement as HTMLElement).querySelector('[data-testid="offline-bar"]');
    expect(bar?.textContent?.trim()).toBe('offline — figures as of 14:32');
  });

  it('keeps the time of the figures shown for the next start', async () => {
    const { fixture, connectivity } = await offlineSetup();
    connectivity.figuresAsOf.set('2026-11-26T15:05:00+01:00');
    await fixture.whenStable();
    expect(localStorage.getItem('mtink.figuresAsOf')).toBe('2026-11-26T15:05:00+01:00');
  });

  it('shows at once when the browser goes offline, and reconnects the moment it is back online', async () => {
    const { fixture, bar, socket } = await offlineSetup();
    socket.status.set('connected');
    const reconnect = vi.spyOn(socket, 'reconnectNow').mockImplementation(() => undefined);
    window.dispatchEvent(new Event('offline'));
    await fixture.whenStable();
    expect(bar()?.textContent?.trim()).toBe('offline — reconnecting…');
    window.dispatchEvent(new Event('online'));
    await fixture.whenStable();
    expect(bar()).toBeNull();
    expect(reconnect).toHaveBeenCalledTimes(1);
  });
});
