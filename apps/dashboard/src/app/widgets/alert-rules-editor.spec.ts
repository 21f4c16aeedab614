import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { AlertRule } from '@mt/contracts';
import { PreferencesService } from '../core/preferences.service';
import { RefreshService } from '../core/refresh.service';
import { alertRule } from '../testing/fixtures';
import { AlertRulesEditor, ruleRequest } from './alert-rules-editor';

const rule = alertRule;

const SILENCE = rule({
  id: 2,
  kind: 'silence',
  name: 'No order for 12 hours',
  threshold: null,
  hours: 12,
  activeFrom: '08:00',
  activeTo: '22:00',
});

async function setup(rules: AlertRule[] = [rule({}), SILENCE]) {
  localStorage.clear();
  TestBed.configureTestingModule({
    imports: [AlertRulesEditor],
    providers: [provideHttpClient(), provideHttpClientTesting()],
  });
  const fixture = TestBed.createComponent(AlertRulesEditor);
  const http = TestBed.inject(HttpTestingController);
  http.expectOne({ method: 'GET', url: '/api/alerts' }).flush(rules);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const byTestId = <T extends HTMLElement = HTMLElement>(testId: string) =>
    element.querySelector<T>(`[data-testid="${testId}"]`);
  const ruleTexts = () =>
    Array.from(element.querySelectorAll('[data-testid="alert-rule"] .rule-text')).map((node) =>
      Array.from(node.children).map((child) => child.textContent?.trim()),
    );
  return { fixture, http, element, byTestId, ruleTexts, editor: fixture.componentInstance };
}

describe('ruleRequest', () => {
  it('sends only the fields the kind uses', () => {
    const form = {
      kind: 'silence' as const,
      name: '  ',
      threshold: 5,
      hours: 6,
      activeFrom: '09:00',
      activeTo: '21:00',
      sendAt: '07:30',
    };
    expect(ruleRequest(form)).toEqual({
      kind: 'silence',
      name: undefined,
      enabled: true,
      threshold: null,
      hours: 6,
      activeFrom: '09:00',
      activeTo: '21:00',
      sendAt: null,
    });
    expect(ruleRequest({ ...form, kind: 'week_orders', name: 'Busy week' })).toEqual({
      kind: 'week_orders',
      name: 'Busy week',
      enabled: true,
      threshold: 5,
      hours: null,
      activeFrom: null,
      activeTo: null,
      sendAt: null,
    });
    expect(ruleRequest({ ...form, kind: 'daily_digest' })).toMatchObject({
      threshold: null,
      hours: null,
      sendAt: '07:30',
    });
  });
});

describe('AlertRulesEditor', () => {
  it('lists the rules with what each waits for', async () => {
    const { ruleTexts } = await setup();
    expect(ruleTexts()).toEqual([
      ['First $1,000 day', 'Day revenue milestone: revenue ≥ 1,000 in a day'],
      ['No order for 12 hours', 'No order for a while: no order for 12 h, watched 08:00–22:00'],
    ]);
  });

  it('shows no amount while presenting: names give way to the kind, revenue thresholds are masked', async () => {
    const { fixture, element, ruleTexts } = await setup([
      rule({}),
      rule({ id: 3, kind: 'week_orders', name: '100 orders for $5,000', threshold: 100 }),
      SILENCE,
    ]);
    TestBed.inject(PreferencesService).presenterMode.set(true);
    await fixture.whenStable();
    expect(ruleTexts()).toEqual([
      ['Day revenue milestone', 'Day revenue milestone: revenue ≥ ••• in a day'],
      ['Week orders milestone', 'Week orders milestone: ≥ 100 orders in a week'],
      ['No order for a while', 'No order for a while: no order for 12 h, watched 08:00–22:00'],
    ]);
    const labels = Array.from(element.querySelectorAll('[data-testid="alert-rule-enabled"]')).map((node) =>
      node.getAttribute('aria-label'),
    );
    expect(labels).toEqual([
      'Rule Day revenue milestone enabled',
      'Rule Week orders milestone enabled',
      'Rule No order for a while enabled',
    ]);
    expect(element.querySelector('[data-testid="alert-rules"]')!.innerHTML).not.toMatch(/\$|1,000|5,000/);

    TestBed.inject(PreferencesService).presenterMode.set(false);
    await fixture.whenStable();
    expect(ruleTexts()[0]).toEqual(['First $1,000 day', 'Day revenue milestone: revenue ≥ 1,000 in a day']);
  });

  it('shows the fields of the chosen kind and creates the rule with them', async () => {
    const { fixture, http, byTestId, ruleTexts, editor } = await setup([]);
    expect(byTestId('alert-rule-threshold')).not.toBeNull();
    expect(byTestId<HTMLButtonElement>('alert-rule-create')!.disabled).toBe(true);

    editor.form.patchValue({ kind: 'silence', hours: 6 });
    await fixture.whenStable();
    expect(byTestId('alert-rule-threshold')).toBeNull();
    expect(byTestId<HTMLInputElement>('alert-rule-from')!.value).toBe('08:00');
    expect(byTestId<HTMLInputElement>('alert-rule-to')!.value).toBe('22:00');
    expect(byTestId<HTMLButtonElement>('alert-rule-create')!.disabled).toBe(false);

    byTestId<HTMLButtonElement>('alert-rule-create')!.click();
    const created = http.expectOne({ method: 'POST', url: '/api/alerts' });
    expect(created.request.body).toEqual({
      kind: 'silence',
      name: undefined,
      enabled: true,
      threshold: null,
      hours: 6,
      activeFrom: '08:00',
      activeTo: '22:00',
      sendAt: null,
    });
    created.flush({ ...SILENCE, id: 9, name: 'No order for 6 hours (08:00–22:00)', hours: 6 });
    await fixture.whenStable();
    expect(ruleTexts()).toEqual([
      ['No order for 6 hours (08:00–22:00)', 'No order for a while: no order for 6 h, watched 08:00–22:00'],
    ]);
    // Ready for the next rule of the same kind.
    expect(editor.form.getRawValue()).toMatchObject({ kind: 'silence', hours: null, name: '' });
  });

  it('says why the API refused a new rule', async () => {
    const { fixture, http, element, editor } = await setup([]);
    editor.form.patchValue({ kind: 'week_orders', threshold: 10.5 });
    editor.createRule();
    http
      .expectOne({ method: 'POST', url: '/api/alerts' })
      .flush(
        { message: ['threshold must be a whole number of orders for week_orders rules'] },
        { status: 400, statusText: 'Bad Request' },
      );
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent?.trim()).toBe(
      'The API answered 400: threshold must be a whole number of orders for week_orders rules',
    );
  });

  it('switches a rule off with the whole rule, and puts the toggle back when that fails', async () => {
    const { fixture, http, element, editor } = await setup();
    editor.setEnabled(rule({}), false);
    const replaced = http.expectOne({ method: 'PUT', url: '/api/alerts/1' });
    expect(replaced.request.body).toEqual({
      kind: 'day_revenue',
      name: 'First $1,000 day',
      enabled: false,
      threshold: 1000,
      hours: null,
      activeFrom: null,
      activeTo: null,
      sendAt: null,
    });
    replaced.flush(rule({ enabled: false }));
    await fixture.whenStable();
    expect(editor.rules()!.map((r) => r.enabled)).toEqual([false, true]);

    editor.setEnabled(SILENCE, false);
    http.expectOne({ method: 'PUT', url: '/api/alerts/2' }).flush('no', { status: 500, statusText: 'Error' });
    await fixture.whenStable();
    expect(editor.rules()!.map((r) => r.enabled)).toEqual([false, true]);
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('The API answered 500.');
  });

  it('deletes a rule and refreshes the alerts card (its alerts went with it)', async () => {
    const { fixture, http, element, ruleTexts } = await setup();
    const refreshed: string[] = [];
    TestBed.inject(RefreshService)
      .on('alerts')
      .subscribe((topic) => refreshed.push(topic));
    element.querySelectorAll<HTMLButtonElement>('[data-testid="alert-rule-delete"]')[0]!.click();
    http.expectOne({ method: 'DELETE', url: '/api/alerts/1' }).flush(null, { status: 204, statusText: 'No Content' });
    await fixture.whenStable();
    expect(ruleTexts()).toHaveLength(1);
    expect(refreshed).toEqual(['alerts']);
  });
});
