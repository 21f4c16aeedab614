import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { SpotifyQuarterlyProjectionResponse, SpotifySettings } from '@mt/contracts';
import { AuthService } from '../core/auth.service';
import { PreferencesService } from '../core/preferences.service';
import { SpotifyQuarters } from './spotify-quarters';

const PROJECTION: SpotifyQuarterlyProjectionResponse = {
  currentRate: 0.00841,
  currentRateSource: { kind: 'setting', label: 'default', at: null, by: null },
  averageBookMinutes: 530,
  quarters: [
    {
      quarter: '2025-Q3',
      revenue: 14354,
      minutes: 1707582,
      completes: null,
      rate: 0.00841,
      kind: 'actual',
      source: 'demo',
      confirmedMonths: 0,
      complete: true,
      sources: [{ kind: 'demo', label: 'demo', at: null, by: null }],
    },
  ],
  projection: {
    quarter: '2026-Q4',
    minutesToDate: 400000,
    daysElapsed: 46,
    coveredFrom: '2026-10-01',
    minutesFrom: 'weekly',
    daysInQuarter: 92,
    projectedMinutes: 800000,
    revenue: { low: 6728, expected: 6728, high: 12032 },
  },
  computedAt: '2026-11-16T08:00:00.000Z',
};

const SETTINGS: SpotifySettings = {
  poolRate: 0.00841,
  poolRateSource: 'default: 2025-Q3 actual (14,354 USD / 1,707,582 minutes)',
  averageBookMinutes: 530,
  cadence: 'monthly',
  updatedAt: null,
  updatedBy: null,
};

async function setup() {
  localStorage.clear();
  TestBed.configureTestingModule({
    imports: [SpotifyQuarters],
    providers: [provideHttpClient(), provideHttpClientTesting()],
  });
  TestBed.inject(AuthService).user.set({ id: '1', email: 'admin@example.test', name: 'Admin', role: 'admin' });
  const fixture = TestBed.createComponent(SpotifyQuarters);
  const http = TestBed.inject(HttpTestingController);
  http.expectOne('/api/spotify/quarterly-projection').flush(PROJECTION);
  http.expectOne('/api/settings/spotify').flush(SETTINGS);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const rate = () => element.querySelector('[data-testid="current-rate"]')!.textContent!.replace(/\s+/g, ' ').trim();
  return { fixture, element, rate };
}

describe('SpotifyQuarters', () => {
  it('shows the current rate with the source the admin gave it', async () => {
    const { rate } = await setup();
    expect(rate()).toBe('Current rate $0.00841/min · default: 2025-Q3 actual (14,354 USD / 1,707,582 minutes)');
  });

  it('shows no amount while presenting, not even in the words of the rate source', async () => {
    const { fixture, element, rate } = await setup();
    TestBed.inject(PreferencesService).presenterMode.set(true);
    await fixture.whenStable();
    expect(rate()).toBe('Current rate •••/min · source hidden while presenting');
    expect(element.textContent).not.toMatch(/\$\s?\d|14,354|USD/);
    // Minutes are not money: they stay.
    expect(element.textContent).toContain('1,707,582');
  });
});
