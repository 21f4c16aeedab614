import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { TitlesResponse, TitleSummary } from '@mt/contracts';
import { platformSplit, TitlesCard } from './titles-card';

const INK_ROAD: TitleSummary = {
  id: 7,
  title: 'The Ink Road',
  formats: ['audiobook', 'paperback'],
  orders: 12,
  units: 14,
  revenue: 321.5,
  previousRevenue: 250,
  change: 28.6,
  platforms: [
    { platform: 'etsy', orders: 3, units: 3, revenue: 60 },
    { platform: 'shopify', orders: 9, units: 11, revenue: 261.5 },
  ],
  spotify: { minutes: 1200, estimatedRevenue: 10.09, confirmedRevenue: null },
  otherAudiobook: { revenue: 0, partners: [] },
};

const RESPONSE: TitlesResponse = {
  currency: 'USD',
  from: '2026-03-01T00:00:00+01:00',
  to: '2026-03-15T00:00:00+01:00',
  previous: { from: '2026-02-15T00:00:00+01:00', to: '2026-03-01T00:00:00+01:00' },
  titles: [INK_ROAD],
  noLineItems: { orders: 2, revenue: 40, previousRevenue: 0, change: null },
  total: { orders: 14, units: 14, revenue: 361.5 },
  warnings: [],
};

describe('TitlesCard', () => {
  it("asks for the page's range and lists its top titles with format chips, linking each to its page", async () => {
    TestBed.configureTestingModule({
      imports: [TitlesCard],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    const fixture = TestBed.createComponent(TitlesCard);
    fixture.componentRef.setInput('range', { from: '2026-03-01', to: '2026-03-14' });
    const http = TestBed.inject(HttpTestingController);
    await fixture.whenStable();
    http.expectOne('/api/titles?from=2026-03-01&to=2026-03-14&limit=5&sort=revenue').flush(RESPONSE);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const row = element.querySelector('[data-title="7"]')!;
    expect(row.querySelector('[data-testid="title-link"]')!.getAttribute('href')).toBe(
      '/titles/7?from=2026-03-01&to=2026-03-14',
    );
    expect(Array.from(row.querySelectorAll('[data-testid="format-chip"]')).map((chip) => chip.textContent)).toEqual([
      'audiobook',
      'paperback',
    ]);
    expect(row.querySelector('[data-testid="title-units"]')!.textContent!.trim()).toBe('14');
    expect(row.querySelector('[data-testid="title-revenue"]')!.textContent!.trim()).toBe('$321.50');
    expect(element.querySelector('[data-testid="titles-total"]')!.textContent!.replace(/\s+/g, ' ').trim()).toBe(
      'All titles: 14 units, $361.50 (of which $40.00 from 2 orders without line items)',
    );

    fixture.componentRef.setInput('range', { from: '2026-02-01', to: '2026-02-28' });
    await fixture.whenStable();
    http.expectOne('/api/titles?from=2026-02-01&to=2026-02-28&limit=5&sort=revenue').flush({ ...RESPONSE, titles: [] });
    await fixture.whenStable();
    expect(element.textContent).toContain('No titles sold in this range.');
  });

  it('shows the platform split by units, best first', () => {
    expect(platformSplit(INK_ROAD)).toBe('Shopify 11 · Etsy 3');
  });
});
