import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { FxStatusResponse } from '@mt/contracts';
import { AuthService } from '../core/auth.service';
import { CurrenciesCard } from './currencies-card';

const STATUS: FxStatusResponse = {
  base: 'USD',
  source: 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml',
  lastFetch: null,
  fetch: {
    status: 'stale',
    url: 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml',
    lastAttemptAt: '2026-03-10T15:00:00Z',
    lastSuccessAt: null,
    lastError: 'www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml: fetch failed',
  },
  currencies: [
    { currency: 'BDT', lastRateDate: null, lastRateSource: null, waitingOrders: 3, waitingRefunds: 1 },
    { currency: 'GBP', lastRateDate: '2026-03-09', lastRateSource: 'ecb', waitingOrders: 0, waitingRefunds: 0 },
  ],
  warnings: [],
};

async function setup(role: 'admin' | 'viewer') {
  TestBed.configureTestingModule({
    imports: [CurrenciesCard],
    providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
  });
  TestBed.inject(AuthService).user.set({ id: '1', email: 'a@b.c', name: 'A', role });
  const fixture = TestBed.createComponent(CurrenciesCard);
  const http = TestBed.inject(HttpTestingController);
  await fixture.whenStable();
  http.expectOne('/api/fx/status').flush(STATUS);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const text = (selector: string) => element.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
  const cells = (selector: string) =>
    Array.from(element.querySelectorAll(`${selector} td`)).map((cell) => cell.textContent?.trim());
  return { fixture, http, element, text, cells };
}

describe('CurrenciesCard', () => {
  it('lists each currency with its last rate day and what waits for a rate, and why the fetch is stale', async () => {
    const { text, cells } = await setup('viewer');
    expect(cells('[data-currency="BDT"]')).toEqual(['BDT → USD', 'none', '3 orders, 1 refunds']);
    expect(cells('[data-currency="GBP"]')).toEqual(['GBP → USD', '2026-03-09', '0 orders']);
    expect(text('[data-testid="fx-source"] [data-status]')).toBe('stale');
    expect(text('[data-testid="fx-fetch-error"]')).toContain('fetch failed');
    expect(text('[data-testid="fx-fetch-now"]')).toBeNull();
  });

  it('lets an admin add a rate and fetch now, and says what it converted', async () => {
    const { fixture, http, element, text } = await setup('admin');
    const type = (testId: string, value: string) => {
      const input = element.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    type('fx-rate-date', '2026-03-09');
    type('fx-rate-currency', 'bdt');
    type('fx-rate-value', '0.0082');
    await fixture.whenStable();
    element.querySelector<HTMLFormElement>('[data-testid="fx-rate-form"]')!.dispatchEvent(new Event('submit'));
    const request = http.expectOne('/api/fx/rates');
    expect(request.request.body).toEqual({ rates: [{ date: '2026-03-09', currency: 'BDT', rate: '0.0082' }] });
    request.flush({ inserted: 1, updated: 0, converted: { orders: 3, refunds: 1 }, warnings: [] });
    await fixture.whenStable();
    expect(text('[data-testid="fx-message"]')).toBe('Rate added: 3 orders and 1 refunds converted.');
    http.expectOne('/api/fx/status').flush(STATUS);

    element.querySelector<HTMLButtonElement>('[data-testid="fx-fetch-now"]')!.click();
    http
      .expectOne('/api/fx/refresh')
      .flush({ ran: false, inserted: 0, updated: 0, converted: { orders: 0, refunds: 0 }, fetch: STATUS.fetch });
    await fixture.whenStable();
    expect(text('[data-testid="fx-message"]')).toBe('A fetch is already running.');
  });
});
