import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { GoalSettings, SpotifySettings } from '@mt/contracts';
import { AuthService } from '../core/auth.service';
import { PreferencesService } from '../core/preferences.service';
import { alertRule } from '../testing/fixtures';
import { SettingsPage } from './settings-page';

const SPOTIFY: SpotifySettings = {
  poolRate: 0.00841,
  poolRateSource: 'default: 2025-Q3 actual (14,354 USD / 1,707,582 minutes)',
  averageBookMinutes: 530,
  cadence: 'monthly',
  updatedAt: null,
  updatedBy: null,
};
const GOAL: GoalSettings = { currency: 'USD', monthlyRevenue: 5000, updatedAt: null };
const RULE = alertRule({ name: 'Day revenue reaches 1000.00 USD' });

async function setup() {
  localStorage.clear();
  TestBed.configureTestingModule({
    imports: [SettingsPage],
    providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
  });
  TestBed.inject(AuthService).user.set({ id: '1', email: 'admin@mtink.local', name: 'Admin', role: 'admin' });
  const fixture = TestBed.createComponent(SettingsPage);
  const http = TestBed.inject(HttpTestingController);
  http.expectOne('/api/settings/spotify').flush(SPOTIFY);
  fixture.detectChanges(); // the admins' cards, and the requests they make, come with the first render
  http.expectOne('/api/goals').flush(GOAL);
  http.expectOne('/api/alerts').flush([RULE]);
  await fixture.whenStable();
  return { fixture, element: fixture.nativeElement as HTMLElement };
}

/** What a screen shows: the text and what the fields hold. */
function visible(element: HTMLElement): string {
  const values = Array.from(element.querySelectorAll('input')).map((input) => input.value);
  return [element.textContent ?? '', ...values].join(' ');
}

describe('SettingsPage', () => {
  it('shows a viewer only the notifications of this device, and asks for nothing of the admins', async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [SettingsPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    TestBed.inject(AuthService).user.set({ id: '2', email: 'viewer@mtink.local', name: 'Viewer', role: 'viewer' });
    const fixture = TestBed.createComponent(SettingsPage);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    expect(Array.from(element.querySelectorAll('h1, h2')).map((h) => h.textContent?.trim())).toEqual([
      'Notifications on this device',
    ]);
    // Without the production build's service worker, this browser cannot ring, and says so.
    expect(element.querySelector('[data-testid="push-unavailable"]')?.textContent).toContain('service worker');
    TestBed.inject(HttpTestingController).verify();
  });

  it('shows the rate, its source, the goal and the rules', async () => {
    const { element } = await setup();
    const shown = visible(element);
    expect(shown).toContain('0.00841');
    expect(shown).toContain('14,354 USD');
    expect(shown).toContain('5000');
    expect(shown).toContain('Day revenue reaches 1000.00 USD');
  });

  it('shows no amount while presenting: neither in its text nor in its fields', async () => {
    const { fixture, element } = await setup();
    TestBed.inject(PreferencesService).presenterMode.set(true);
    await fixture.whenStable();
    const notices = Array.from(element.querySelectorAll('[data-testid="presenter-notice"]')).map((node) =>
      node.textContent?.trim(),
    );
    expect(notices).toEqual([
      'Hidden while presenting: the pool rate, its source and the average book length. Switch presenter mode off to edit.',
      'Hidden while presenting: the monthly goal. Switch presenter mode off to edit.',
      'Hidden while presenting: the exchange rates and the orders waiting for one. Switch presenter mode off to edit.',
    ]);
    const shown = visible(element);
    expect(shown).not.toMatch(/0\.00841|14,354|5000|1000|1,000/);
    expect(element.querySelector('[data-testid="alert-rule"]')?.textContent).toContain('revenue ≥ ••• in a day');
  });
});

describe('SettingsPage, Spotify settings', () => {
  it('shows how Spotify pays and saves a change of it with the rate', async () => {
    const { fixture, element } = await setup();
    const trigger = element.querySelector<HTMLElement>('[data-testid="settlement-cadence"]')!;
    expect(trigger.textContent?.trim()).toBe('Monthly, one payment per month');

    trigger.click();
    await fixture.whenStable();
    const options = Array.from(document.querySelectorAll<HTMLElement>('mat-option'));
    expect(options.map((option) => option.textContent?.trim())).toEqual([
      'Monthly, one payment per month',
      'Quarterly, one payment per quarter',
    ]);
    options[1]!.click();
    await fixture.whenStable();
    element.querySelector<HTMLButtonElement>('form.stacked-form button[type="submit"]')!.click();

    const http = TestBed.inject(HttpTestingController);
    const put = http.expectOne({ method: 'PUT', url: '/api/settings/spotify' });
    expect(put.request.body).toEqual({
      poolRate: 0.00841,
      poolRateSource: SPOTIFY.poolRateSource,
      averageBookMinutes: 530,
      cadence: 'quarterly',
    });
    put.flush({ ...SPOTIFY, cadence: 'quarterly' });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="settings-saved"]')?.textContent).toContain('Saved.');
  });
});
