import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { TodayVsYesterdayResponse } from '@mt/contracts';
import { AuthService } from '../core/auth.service';
import { RefreshService } from '../core/refresh.service';
import { HeroCard } from './hero-card';

const window = (orders: number, revenue: number) => ({
  from: '2026-03-10T00:00:00+01:00',
  to: '2026-03-10T14:30:00+01:00',
  orders,
  revenue,
  aov: orders ? revenue / orders : null,
});
const ANSWER: TodayVsYesterdayResponse = {
  timezone: 'Europe/Berlin',
  currency: 'USD',
  warnings: [],
  asOf: '2026-03-10T14:30:00+01:00',
  today: window(23, 1234.5),
  yesterday: window(15, 1000),
  yesterdayFullDay: window(40, 2500),
  change: { orders: 53.33, revenue: 23.45, aov: -19.5 },
};

async function setup() {
  localStorage.clear();
  TestBed.configureTestingModule({
    imports: [HeroCard],
    providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
  });
  const fixture = TestBed.createComponent(HeroCard);
  const http = TestBed.inject(HttpTestingController);
  await fixture.whenStable();
  const text = (testId: string) =>
    (fixture.nativeElement as HTMLElement).querySelector(`[data-testid="${testId}"]`)?.textContent?.trim() ?? null;
  return { fixture, http, text, element: fixture.nativeElement as HTMLElement };
}

describe('HeroCard', () => {
  it('says what is left out for want of a rate, with a link to the currencies settings for admins', async () => {
    const { fixture, http, text, element } = await setup();
    TestBed.inject(AuthService).user.set({ id: '1', email: 'a@b.c', name: 'A', role: 'admin' });
    const message =
      '2 orders in ZAR could not be converted to USD and are left out (no rate for ZAR on 2026-03-10): add the rates under Settings → Currencies';
    http.expectOne('/api/comparison/today-vs-yesterday').flush({
      ...ANSWER,
      warnings: [
        {
          code: 'unconverted_orders',
          count: 2,
          currencies: ['ZAR'],
          missing: [{ currency: 'ZAR', days: ['2026-03-10'] }],
          message,
        },
      ],
    });
    await fixture.whenStable();
    expect(text('hero-warning')).toBe(`${message} Currencies`);
    expect(element.querySelector('[data-testid="hero-warning"] a')?.getAttribute('href')).toBe('/settings#currencies');
  });

  it('shows a skeleton, then today vs yesterday as of the business-zone time', async () => {
    const { fixture, http, text, element } = await setup();
    expect(element.querySelector('mt-skeleton')).not.toBeNull();
    http.expectOne('/api/comparison/today-vs-yesterday').flush(ANSWER);
    await fixture.whenStable();
    expect(element.querySelector('mt-skeleton')).toBeNull();
    expect(text('hero-orders')).toBe('23');
    expect(text('hero-revenue')).toBe('$1,234.50');
    expect(text('hero-yesterday-orders')).toBe('15');
    expect(text('hero-as-of')).toBe('as of 14:30 (Europe/Berlin)');
    expect(text('hero-orders-change')).toBe('↑ +53.3%');
    expect(element.querySelector('[data-testid="hero-orders-change"]')?.classList).toContain('delta-up');
    expect(text('hero-yesterday-full')).toMatch(/40 orders · \$2,500\.00/);
  });

  it('shows an error banner when the API is unreachable, and keeps the last numbers on a failed refresh', async () => {
    const { fixture, http, text, element } = await setup();
    http.expectOne('/api/comparison/today-vs-yesterday').error(new ProgressEvent('error'), { status: 0 });
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('The API is unreachable');

    element.querySelector<HTMLButtonElement>('mt-error-banner button')!.click();
    http.expectOne('/api/comparison/today-vs-yesterday').flush(ANSWER);
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')).toBeNull();

    TestBed.inject(RefreshService).request('sales');
    http
      .expectOne('/api/comparison/today-vs-yesterday')
      .flush({ message: 'boom' }, { status: 500, statusText: 'Server Error' });
    await fixture.whenStable();
    expect(text('hero-orders')).toBe('23');
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('The API answered 500: boom');
  });

  it('says so when there are no orders yet today', async () => {
    const { fixture, http, element } = await setup();
    http
      .expectOne('/api/comparison/today-vs-yesterday')
      .flush({ ...ANSWER, today: window(0, 0), change: { orders: -100, revenue: -100, aov: null } });
    await fixture.whenStable();
    expect(element.querySelector('.empty-state')?.textContent).toContain('No orders yet today');
  });

  it('refetches on a sales refresh but not on a Spotify one', async () => {
    const { fixture, http } = await setup();
    http.expectOne('/api/comparison/today-vs-yesterday').flush(ANSWER);
    await fixture.whenStable();
    TestBed.inject(RefreshService).request('spotify');
    http.expectNone('/api/comparison/today-vs-yesterday');
    TestBed.inject(RefreshService).request('all');
    http.expectOne('/api/comparison/today-vs-yesterday').flush(ANSWER);
    http.verify();
  });
});
