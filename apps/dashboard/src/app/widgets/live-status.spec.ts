import { TestBed } from '@angular/core/testing';
import { OrderToastsService } from '../core/order-toasts.service';
import { PreferencesService } from '../core/preferences.service';
import { OrderToasts } from './live-status';

async function setup() {
  localStorage.clear();
  TestBed.configureTestingModule({ imports: [OrderToasts] });
  const fixture = TestBed.createComponent(OrderToasts);
  const toasts = TestBed.inject(OrderToastsService);
  toasts.show({
    platform: 'shopify',
    amount: 1234.5,
    currency: 'USD',
    country: 'US',
    titles: ['The Ink Road'],
    createdAt: '2026-11-26T10:00:00Z',
  });
  toasts.showAlert({
    id: 7,
    kind: 'day_revenue',
    ruleName: 'First $1,000 day',
    subject: 'MT Ink: $1,020.00 today, milestone $1,000.00 reached',
    firedAt: '2026-11-26T10:00:00+01:00',
  });
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const text = (testId: string) => element.querySelector(`[data-testid="${testId}"]`)?.textContent?.trim();
  return { fixture, element, text };
}

describe('OrderToasts', () => {
  it('shows a new order with its amount and a fired alert with its subject', async () => {
    const { text } = await setup();
    expect(text('toast-amount')).toBe('$1,234.50');
    expect(text('toast-alert')).toBe('MT Ink: $1,020.00 today, milestone $1,000.00 reached');
  });

  it('shows no amount while presenting', async () => {
    const { fixture, element, text } = await setup();
    TestBed.inject(PreferencesService).presenterMode.set(true);
    await fixture.whenStable();
    expect(text('toast-amount')).toBe('•••');
    expect(text('toast-alert')).toBe('Day revenue milestone');
    expect(element.textContent).not.toMatch(/\$|\d/);
  });
});
