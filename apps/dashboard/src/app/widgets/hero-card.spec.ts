import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { ChartConfiguration } from 'chart.js';
import { provideRouter } from '@angular/router';
import type { HourlyGrowthResponse, TodayVsYesterdayResponse } from '@mt/contracts';
import { AuthService } from '../core/auth.service';
import { FirstFigures } from '../core/first-figures';
import { afterPaint } from '../core/idle';
import { RefreshService } from '../core/refresh.service';
import { CHART_FACTORY, ChartKind } from './chart';
import { HeroCard, cumulativeByHour } from './hero-card';

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
  const drawn: Array<ChartConfiguration<ChartKind>> = [];
  TestBed.configureTestingModule({
    imports: [HeroCard],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([]),
      {
        provide: CHART_FACTORY,
        useValue: () =>
          Promise.resolve((_canvas: HTMLCanvasElement, config: ChartConfiguration<ChartKind>) => {
            drawn.push(config);
            return { destroy: () => undefined };
          }),
      },
    ],
  });
  const fixture = TestBed.createComponent(HeroCard);
  const http = TestBed.inject(HttpTestingController);
  await fixture.whenStable();
  const text = (testId: string) =>
    (fixture.nativeElement as HTMLElement).querySelector(`[data-testid="${testId}"]`)?.textContent?.trim() ?? null;
  return { fixture, http, text, drawn, element: fixture.nativeElement as HTMLElement };
}

const HOURLY: HourlyGrowthResponse = {
  currency: 'USD',
  warnings: [],
  timezone: 'Europe/Berlin',
  asOf: '2026-03-10T02:30:00+01:00',
  date: '2026-03-10',
  compare: 'previous',
  hours: [0, 1, 2].map((hour) => ({
    hour,
    start: `2026-03-10T0${hour}:00:00+01:00`,
    orders: 1,
    revenue: 10,
    cumulativeRevenue: 10 * (hour + 1),
  })),
  comparison: {
    date: '2026-03-09',
    hours: Array.from({ length: 24 }, (_, hour) => ({
      hour,
      start: `2026-03-09T${String(hour).padStart(2, '0')}:00:00+01:00`,
      orders: 0,
      revenue: 0,
      cumulativeRevenue: hour < 7 ? hour * 10 : 70,
    })),
    samePoint: window(2, 20),
  },
};

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

  it('says the first figures are drawn once its answer is on the screen, not while it loads', async () => {
    const { fixture, http, element } = await setup();
    const firstFigures = TestBed.inject(FirstFigures);
    let released = false;
    void firstFigures.whenDrawn().then(() => (released = true));
    await fixture.whenStable();
    expect(firstFigures.drawn()).toBe(false);
    expect(released).toBe(false);
    http.expectOne('/api/comparison/today-vs-yesterday').flush(ANSWER);
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="hero-orders"]')?.textContent?.trim()).toBe('23');
    // In a task after the paint of the figures, not in the render that drew them.
    expect(firstFigures.drawn()).toBe(false);
    await afterPaint();
    expect(firstFigures.drawn()).toBe(true);
    await Promise.resolve();
    expect(released).toBe(true);
  });

  it('says the first figures are drawn when there are none to draw (the API failed): nothing waits for ever', async () => {
    const { fixture, http } = await setup();
    http
      .expectOne('/api/comparison/today-vs-yesterday')
      .flush({ message: 'boom' }, { status: 500, statusText: 'Error' });
    await fixture.whenStable();
    await afterPaint();
    expect(TestBed.inject(FirstFigures).drawn()).toBe(true);
  });

  it('shows a skeleton, then today vs yesterday as of the business-zone time', async () => {
    const { fixture, http, text, element } = await setup();
    expect(element.querySelector('mt-skeleton')).not.toBeNull();
    // The time's line is kept (blank) while loading: nothing under it moves when the figures arrive.
    const asOfLine = element.querySelector('[data-testid="hero-as-of"]');
    expect(asOfLine?.textContent?.trim()).toBe('');
    expect(asOfLine?.querySelector('[aria-hidden="true"]')).not.toBeNull();
    http.expectOne('/api/comparison/today-vs-yesterday').flush(ANSWER);
    await fixture.whenStable();
    expect(element.querySelector('mt-skeleton')).toBeNull();
    expect(element.querySelector('[data-testid="hero-as-of"]')).toBe(asOfLine);
    expect(text('hero-orders')).toBe('23');
    expect(text('hero-revenue')).toBe('$1,234.50');
    expect(text('hero-yesterday-orders')).toBe('15');
    expect(text('hero-as-of')).toBe('as of 14:30 (Europe/Berlin)');
    expect(text('hero-orders-change')).toBe('↑ +53.3% vs yesterday');
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
    expect(http.match('/api/growth/hourly')).toHaveLength(2);
    http.verify();
  });

  it('draws today by hour, cumulative, with yesterday dashed, from the hourly answer', async () => {
    const { fixture, http, element, drawn } = await setup();
    http.expectOne('/api/comparison/today-vs-yesterday').flush(ANSWER);
    http.expectOne('/api/growth/hourly').flush(HOURLY);
    await fixture.whenStable();
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    const chart = element.querySelector('[data-testid="hourly-chart"] mt-chart canvas');
    expect(chart?.getAttribute('aria-label')).toBe(
      'Revenue by hour since midnight: today $30.00 so far; yesterday $70.00 for the whole day. Arrow keys show the figures of each point.',
    );
    const config = drawn.at(-1)!;
    expect(config.data.labels?.slice(0, 3)).toEqual(['01:00', '02:00', '03:00']);
    expect(config.data.datasets.map((dataset) => dataset.label)).toEqual(['Today', 'Yesterday']);
    expect(config.data.datasets[0]!.data.slice(0, 4)).toEqual([10, 20, 30, null]);
    expect(config.data.datasets[1]!.data.slice(0, 8)).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
    expect((config.data.datasets[1] as { borderDash: number[] }).borderDash).toEqual([5, 4]);
  });
});

describe('cumulativeByHour', () => {
  const hour = (
    h: number,
    cumulativeRevenue: number,
    start = `2026-03-10T${String(h).padStart(2, '0')}:00:00+01:00`,
  ) => ({
    hour: h,
    start,
    orders: 1,
    revenue: 1,
    cumulativeRevenue,
  });

  it('gives the total by the end of each hour reached, and nothing for the hours to come', () => {
    const values = cumulativeByHour([hour(0, 0), hour(1, 10), hour(2, 30)]);
    expect(values.slice(0, 4)).toEqual([0, 10, 30, null]);
    expect(values).toHaveLength(24);
  });

  it('on the 25-hour day takes the later total of the repeated hour', () => {
    const values = cumulativeByHour([
      hour(0, 1),
      hour(1, 2),
      hour(2, 3, '2026-10-25T02:00:00+02:00'),
      hour(2, 5, '2026-10-25T02:00:00+01:00'),
      hour(3, 6),
    ]);
    expect(values.slice(0, 5)).toEqual([1, 2, 5, 6, null]);
  });

  it('on the 23-hour day carries the total over the skipped hour', () => {
    expect(cumulativeByHour([hour(0, 1), hour(1, 2), hour(3, 4)]).slice(0, 5)).toEqual([1, 2, 2, 4, null]);
  });
});
