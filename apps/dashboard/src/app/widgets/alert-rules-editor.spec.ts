import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { AlertRule } from '@mt/contracts';
import { RefreshService } from '../core/refresh.service';
import { AlertRulesEditor, ruleRequest } from './alert-rules-editor';

const rule = (change: Partial<AlertRule>): AlertRule => ({
  id: 1,
  kind: 'day_revenue',
  name: 'First $1,000 day',
  enabled: true,
  threshold: 1000,
  hours: null,
  activeFrom: null,
  activeTo: null,
  sendAt: null,
  createdAt: '2026-11-26T08:00:00.000Z',
  updatedAt: '2026-11-26T08:00:00.000Z',
  ...change,
});

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
