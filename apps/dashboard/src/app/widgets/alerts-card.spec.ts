import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { AlertEvent, AlertEventsResponse } from '@mt/contracts';
import { shortDate } from '../core/format';
import { PreferencesService } from '../core/preferences.service';
import { RefreshService } from '../core/refresh.service';
import { SocketService } from '../core/socket.service';
import { AlertsCard, businessDateTime } from './alerts-card';

const EVENTS_URL = '/api/alerts/events?limit=5';

const alert = (change: Partial<AlertEvent>): AlertEvent => ({
  id: 1,
  ruleId: 1,
  kind: 'day_revenue',
  ruleName: 'First $1,000 day',
  periodKey: '2026-11-26',
  firedAt: '2026-11-26T21:45:00+01:00',
  subject: 'MT Ink: $1,020.00 today, milestone $1,000.00 reached',
  body: '…',
  delivery: 'sent',
  deliveryError: null,
  ...change,
});

const ANSWER: AlertEventsResponse = {
  events: [
    alert({ id: 2 }),
    alert({
      id: 1,
      kind: 'silence',
      ruleName: 'No order for 12 hours',
      subject: 'MT Ink: no order for 12 hours',
      firedAt: '2026-11-25T23:30:00+01:00',
      delivery: 'failed',
      deliveryError: 'connect ECONNREFUSED 127.0.0.1:25',
    }),
    alert({ id: 0, kind: 'daily_digest', subject: 'MT Ink daily digest 2026-11-24', delivery: 'not_configured' }),
  ],
};

async function setup() {
  localStorage.clear();
  TestBed.configureTestingModule({
    imports: [AlertsCard],
    providers: [provideHttpClient(), provideHttpClientTesting()],
  });
  const fixture = TestBed.createComponent(AlertsCard);
  const http = TestBed.inject(HttpTestingController);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const column = (testId: string) =>
    Array.from(element.querySelectorAll(`[data-testid="${testId}"]`)).map((node) => node.textContent?.trim());
  return { fixture, http, element, column };
}

describe('businessDateTime', () => {
  it('keeps the wall clock the API wrote, even across midnight in UTC', () => {
    expect(businessDateTime('2026-11-26T00:30:00+01:00')).toBe(`${shortDate('2026-11-26')} 00:30`);
    expect(businessDateTime('2026-07-01T23:15:00-04:00')).toBe(`${shortDate('2026-07-01')} 23:15`);
  });
});

describe('AlertsCard', () => {
  it('lists the latest alerts with their business-zone time and e-mail delivery', async () => {
    const { fixture, http, element, column } = await setup();
    expect(element.querySelector('mt-skeleton')).not.toBeNull();
    http.expectOne(EVENTS_URL).flush(ANSWER);
    await fixture.whenStable();
    expect(element.querySelector('mt-skeleton')).toBeNull();
    expect(column('alert-subject')).toEqual([
      'MT Ink: $1,020.00 today, milestone $1,000.00 reached',
      'MT Ink: no order for 12 hours',
      'MT Ink daily digest 2026-11-24',
    ]);
    // Read as the API wrote them (business zone), whatever the browser's zone.
    expect(column('alert-time')).toEqual([
      `${shortDate('2026-11-26')} 21:45`,
      `${shortDate('2026-11-25')} 23:30`,
      `${shortDate('2026-11-26')} 21:45`,
    ]);
    expect(column('alert-delivery')).toEqual(['sent', 'failed', 'not configured']);
    expect(element.querySelectorAll('[data-testid="alert-delivery"]')[1]!.getAttribute('title')).toBe(
      'E-mail failed: connect ECONNREFUSED 127.0.0.1:25',
    );
  });

  it('says so when nothing fired yet', async () => {
    const { fixture, http, element, column } = await setup();
    http.expectOne(EVENTS_URL).flush({ events: [] });
    await fixture.whenStable();
    expect(column('alerts-empty')).toEqual(['No alerts yet']);
    expect(element.querySelector('[data-testid="alert-item"]')).toBeNull();
  });

  it('names only the kind of alert in presenter mode, so that no amount shows', async () => {
    const { fixture, http, element, column } = await setup();
    http.expectOne(EVENTS_URL).flush(ANSWER);
    TestBed.inject(PreferencesService).presenterMode.set(true);
    await fixture.whenStable();
    expect(column('alert-subject')).toEqual(['Day revenue milestone', 'No order for a while', 'Daily digest']);
    expect(element.textContent).not.toMatch(/\$|1,000/);
    // Nor in what shows on hover: the rule's name, a mail server's answer.
    const titles = Array.from(element.querySelectorAll('[title]')).map((node) => node.getAttribute('title'));
    expect(titles).toEqual(['E-mail sent', 'E-mail failed', 'E-mail not configured']);
  });

  it('shows the rule name and the mail error on hover when not presenting', async () => {
    const { fixture, http, element } = await setup();
    http.expectOne(EVENTS_URL).flush(ANSWER);
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="alert-subject"]')!.getAttribute('title')).toBe('First $1,000 day');
  });

  it('shows an error banner, keeps the list on a failed refresh, and refetches on alert.fired and the timer', async () => {
    const { fixture, http, element, column } = await setup();
    http.expectOne(EVENTS_URL).error(new ProgressEvent('error'), { status: 0 });
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('The API is unreachable');

    element.querySelector<HTMLButtonElement>('mt-error-banner button')!.click();
    http.expectOne(EVENTS_URL).flush(ANSWER);
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')).toBeNull();

    TestBed.inject(RefreshService).request('all');
    http.expectOne(EVENTS_URL).flush('down', { status: 502, statusText: 'Bad Gateway' });
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('The API answered 502.');
    expect(column('alert-subject')).toHaveLength(3);

    TestBed.inject(SocketService).handle('alert.fired', {
      id: 3,
      kind: 'best_day',
      ruleName: 'Best day ever',
      subject: 'MT Ink: best day ever, $1,500.00 today',
      firedAt: '2026-11-26T22:00:00+01:00',
    });
    http
      .expectOne(EVENTS_URL)
      .flush({ events: [alert({ id: 3, kind: 'best_day', subject: 'MT Ink: best day ever, $1,500.00 today' })] });
    await fixture.whenStable();
    expect(column('alert-subject')).toEqual(['MT Ink: best day ever, $1,500.00 today']);
    TestBed.inject(RefreshService).request('sales');
    http.expectNone(EVENTS_URL);
  });
});
