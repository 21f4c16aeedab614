import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { GoalSettings } from '@mt/contracts';
import { PreferencesService } from '../core/preferences.service';
import { RefreshService } from '../core/refresh.service';
import { GoalSettingsForm, goalAmount, goalAmountProblem } from './goal-settings';

const GOAL: GoalSettings = { currency: 'USD', monthlyRevenue: 5000, updatedAt: '2026-11-01T08:00:00.000Z' };

async function setup(goal: GoalSettings = GOAL) {
  localStorage.clear();
  TestBed.configureTestingModule({
    imports: [GoalSettingsForm],
    providers: [provideHttpClient(), provideHttpClientTesting()],
  });
  const fixture = TestBed.createComponent(GoalSettingsForm);
  const http = TestBed.inject(HttpTestingController);
  const refreshes: string[] = [];
  TestBed.inject(RefreshService)
    .on('sales')
    .subscribe(() => refreshes.push('sales'));
  http.expectOne({ method: 'GET', url: '/api/goals' }).flush(goal);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const byTestId = <T extends HTMLElement = HTMLElement>(testId: string) =>
    element.querySelector<T>(`[data-testid="${testId}"]`);
  const input = () => byTestId<HTMLInputElement>('goal-input')!;
  /** As a person does it: type into the field, then press the button. */
  const typeAndSave = async (text: string) => {
    input().value = text;
    input().dispatchEvent(new Event('input'));
    await fixture.whenStable();
    byTestId<HTMLButtonElement>('goal-save')!.click();
    await fixture.whenStable();
  };
  return { fixture, http, element, byTestId, input, typeAndSave, refreshes };
}

describe('goalAmountProblem', () => {
  it.each([['5000'], ['5000.5'], ['5000.50'], ['0.01'], ['  12 '], [''], ['1000000000']])('accepts "%s"', (text) => {
    expect(goalAmountProblem(text)).toBeNull();
  });

  it.each([
    ['abc', 'Enter an amount like 5000 or 5000.50: digits, a dot, at most 2 decimals.'],
    ['12.345', 'Enter an amount like 5000 or 5000.50: digits, a dot, at most 2 decimals.'],
    ['-5', 'Enter an amount like 5000 or 5000.50: digits, a dot, at most 2 decimals.'],
    ['1,500', 'Enter an amount like 5000 or 5000.50: digits, a dot, at most 2 decimals.'],
    ['1e5', 'Enter an amount like 5000 or 5000.50: digits, a dot, at most 2 decimals.'],
    ['$5000', 'Enter an amount like 5000 or 5000.50: digits, a dot, at most 2 decimals.'],
    ['0', 'The goal must be more than 0; leave the field empty for no goal.'],
    ['0.00', 'The goal must be more than 0; leave the field empty for no goal.'],
    ['1000000000.01', 'The goal can be at most 1,000,000,000.'],
  ])('refuses "%s": %s', (text, problem) => {
    expect(goalAmountProblem(text)).toBe(problem);
  });

  it('reads an accepted text as the API takes it', () => {
    expect(goalAmount(' 12345.67 ')).toBe(12345.67);
    expect(goalAmount('')).toBeNull();
  });
});

describe('GoalSettingsForm', () => {
  it('shows the saved goal, saves a new one through the form and tells the goal card', async () => {
    const { fixture, http, byTestId, input, typeAndSave, refreshes } = await setup();
    expect(input().value).toBe('5000');
    expect(byTestId('goal-form')!.textContent).toContain('Goal (USD a month, empty for none)');

    await typeAndSave('12345.67');
    const put = http.expectOne({ method: 'PUT', url: '/api/goals' });
    expect(put.request.body).toEqual({ monthlyRevenue: 12345.67 });
    expect(byTestId<HTMLButtonElement>('goal-save')!.disabled).toBe(true);
    put.flush({ ...GOAL, monthlyRevenue: 12345.67 });
    await fixture.whenStable();
    expect(byTestId('goal-saved')!.textContent!.trim()).toBe('Saved: the goal is $12,345.67 a month.');
    expect(input().value).toBe('12345.67');
    expect(refreshes).toEqual(['sales']);

    // Editing again: the "saved" line no longer describes the field.
    input().value = '1';
    input().dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(byTestId('goal-saved')).toBeNull();
  });

  it('removes the goal when the field is emptied', async () => {
    const { fixture, http, byTestId, typeAndSave } = await setup();
    await typeAndSave('  ');
    http.expectOne({ method: 'PUT', url: '/api/goals' }).flush({ ...GOAL, monthlyRevenue: null });
    await fixture.whenStable();
    expect(byTestId('goal-saved')!.textContent!.trim()).toBe('Saved: no monthly goal.');
  });

  it('says what is wrong with a bad amount and sends nothing', async () => {
    const { http, byTestId, typeAndSave, refreshes } = await setup();
    await typeAndSave('12.345');
    http.expectNone({ method: 'PUT', url: '/api/goals' });
    expect(byTestId('goal-input-error')!.textContent!.trim()).toBe(
      'Enter an amount like 5000 or 5000.50: digits, a dot, at most 2 decimals.',
    );
    expect(byTestId('goal-saved')).toBeNull();
    expect(refreshes).toEqual([]);
  });

  it('shows why the API refused, and lets the button be pressed again', async () => {
    const { fixture, http, byTestId, typeAndSave } = await setup();
    await typeAndSave('700');
    http
      .expectOne({ method: 'PUT', url: '/api/goals' })
      .flush({ message: ['monthlyRevenue must not be greater than 1000000000'] }, { status: 400, statusText: 'Bad' });
    await fixture.whenStable();
    expect(byTestId('goal-error')!.textContent).toBe(
      'The API answered 400: monthlyRevenue must not be greater than 1000000000',
    );
    expect(byTestId('goal-saved')).toBeNull();
    expect(byTestId<HTMLButtonElement>('goal-save')!.disabled).toBe(false);
  });

  it('shows no form before the goal has loaded, so that it never saves over a goal it has not seen', async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [GoalSettingsForm],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    const fixture = TestBed.createComponent(GoalSettingsForm);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    expect(element.querySelector('[data-testid="goal-input"]')).toBeNull();
    expect(element.querySelector('mt-skeleton')).not.toBeNull();
    TestBed.inject(HttpTestingController)
      .expectOne('/api/goals')
      .flush({ message: 'down' }, { status: 502, statusText: 'Bad Gateway' });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="goal-input"]')).toBeNull();
    expect(element.querySelector('[data-testid="goal-error"]')!.textContent).toBe('The API answered 502: down');
  });

  it('hides the goal while presenting', async () => {
    const { fixture, element, byTestId } = await setup();
    TestBed.inject(PreferencesService).presenterMode.set(true);
    await fixture.whenStable();
    expect(byTestId('goal-input')).toBeNull();
    expect(byTestId('presenter-notice')!.textContent!.trim()).toBe(
      'Hidden while presenting: the monthly goal. Switch presenter mode off to edit.',
    );
    expect(element.textContent).not.toMatch(/\d/);
    TestBed.inject(PreferencesService).presenterMode.set(false);
    await fixture.whenStable();
    expect(byTestId<HTMLInputElement>('goal-input')!.value).toBe('5000');
  });
});
