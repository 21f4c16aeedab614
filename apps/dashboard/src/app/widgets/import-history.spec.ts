import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { ImportHistoryEntry } from '@mt/contracts';
import { ImportHistory, importOutcome, importTitle } from './import-history';

const entry = (change: Partial<ImportHistoryEntry>): ImportHistoryEntry => ({
  id: 1,
  file: 'orders_export_1.csv',
  kind: 'orders',
  platform: 'shopify',
  reportType: null,
  recognised: 'Shopify orders export, 4 orders',
  rows: 5,
  inserted: 3,
  updated: 1,
  skipped: 0,
  status: 'imported',
  errorCount: 0,
  at: new Date(Date.now() - 5 * 60_000).toISOString(),
  by: 'owner@mt-ink.example',
  ...change,
});

describe('ImportHistory', () => {
  it('lists every file imported, orders, Spotify and rates alike, with what each did', async () => {
    TestBed.configureTestingModule({
      imports: [ImportHistory],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    const fixture = TestBed.createComponent(ImportHistory);
    await fixture.whenStable();
    TestBed.inject(HttpTestingController)
      .expectOne('/api/imports?limit=20')
      .flush({
        imports: [
          entry({}),
          entry({
            id: 2,
            file: 'weekly.csv',
            kind: 'spotify',
            platform: null,
            reportType: 'spotify-weekly',
            recognised: 'Spotify weekly stats, 23 rows',
            rows: 23,
            inserted: 23,
            updated: 0,
          }),
          entry({
            id: 3,
            file: 'rates.csv',
            kind: 'rates',
            recognised: null,
            status: 'rejected',
            errorCount: 2,
            by: null,
          }),
        ],
      });
    await fixture.whenStable();
    const items = Array.from(
      (fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="import-entry"]'),
    ).map((item) =>
      Array.from(item.querySelectorAll('span'))
        .map((span) => span.textContent?.replace(/\s+/g, ' ').trim())
        .join(' | '),
    );
    expect(items).toEqual([
      'orders_export_1.csv | Shopify orders export, 4 orders: 3 new, 1 changed, 0 unchanged | 5 min ago by owner@mt-ink.example · 5 rows',
      'weekly.csv | Spotify weekly stats, 23 rows: 23 new, 0 changed | 5 min ago by owner@mt-ink.example · 23 rows',
      'rates.csv | exchange rates: rejected (2 problems) | 5 min ago · 5 rows',
    ]);
  });

  it.each([
    [entry({ status: 'duplicate' }), 'Shopify orders export, 4 orders', 'already imported: nothing changed'],
    [entry({ recognised: null, status: 'rejected', errorCount: 1 }), 'shopify orders', 'rejected (1 problem)'],
    [
      entry({ kind: null, platform: null, recognised: null, status: 'rejected', errorCount: 1 }),
      'not recognised',
      'rejected (1 problem)',
    ],
  ])('describes %o as %p: %p', (given, title, outcome) => {
    expect([importTitle(given), importOutcome(given)]).toEqual([title, outcome]);
  });
});
