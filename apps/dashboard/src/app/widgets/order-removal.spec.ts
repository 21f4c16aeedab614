import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { StoredOrderSummary } from '@mt/contracts';
import { AuthService } from '../core/auth.service';
import { RefreshService } from '../core/refresh.service';
import { OrderRemoval } from './order-removal';

const ORDER: StoredOrderSummary = {
  id: '42',
  platform: 'shopify',
  store: 'harbour-quill.myshopify.com',
  externalId: '6231859937601',
  orderNumber: '#1047',
  createdAt: '2025-05-14T13:12:44.000Z',
  total: '86.00',
  currency: 'USD',
  counted: true,
  deletedAt: null,
};

async function setup(role: 'admin' | 'viewer') {
  TestBed.configureTestingModule({
    imports: [OrderRemoval],
    providers: [provideHttpClient(), provideHttpClientTesting()],
  });
  TestBed.inject(AuthService).user.set({ id: '1', email: 'a@b.c', name: 'A', role });
  const fixture = TestBed.createComponent(OrderRemoval);
  const http = TestBed.inject(HttpTestingController);
  const refreshes: string[] = [];
  TestBed.inject(RefreshService)
    .on('sales')
    .subscribe(() => refreshes.push('sales'));
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const byTestId = <T extends HTMLElement = HTMLElement>(testId: string) =>
    element.querySelector<T>(`[data-testid="${testId}"]`);
  const text = (testId: string) => byTestId(testId)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
  const find = async (platform: string, ref: string) => {
    const select = byTestId<HTMLSelectElement>('order-platform')!;
    select.value = platform;
    select.dispatchEvent(new Event('change'));
    const input = byTestId<HTMLInputElement>('order-ref')!;
    input.value = ref;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    byTestId<HTMLFormElement>('order-find-form')!.dispatchEvent(new Event('submit'));
  };
  return { fixture, http, element, byTestId, text, find, refreshes };
}

describe('OrderRemoval', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('finds an order, asks before removing it, removes it and says so', async () => {
    const { fixture, http, byTestId, text, find, refreshes } = await setup('admin');
    await find('shopify', ' #1047 ');
    const search = http.expectOne((r) => r.url === '/api/orders/find');
    expect(search.request.params.get('platform')).toBe('shopify');
    expect(search.request.params.get('ref')).toBe('#1047');
    search.flush({ orders: [ORDER] });
    await fixture.whenStable();
    expect(text('order-matches')).toBe(
      '#1047 (id 6231859937601, harbour-quill.myshopify.com) of 2025-05-14, 86.00 USD Remove…',
    );

    byTestId<HTMLButtonElement>('order-remove')!.click();
    await fixture.whenStable();
    // Nothing is removed before the confirmation.
    http.expectNone((r) => r.method === 'DELETE');
    expect(text('order-matches')).toContain('Remove it from the figures?');

    byTestId<HTMLButtonElement>('order-remove-confirm')!.click();
    const removal = http.expectOne({ method: 'DELETE', url: '/api/orders/42' });
    removal.flush({ order: { ...ORDER, counted: false, deletedAt: '2026-12-01T10:00:00.000Z' }, auditId: '7' });
    await fixture.whenStable();
    expect(text('order-removal-message')).toBe(
      'Removed #1047 (id 6231859937601, harbour-quill.myshopify.com) of 2025-05-14, 86.00 USD from the figures.',
    );
    expect(text('order-matches')).toBe(
      '#1047 (id 6231859937601, harbour-quill.myshopify.com) of 2025-05-14, 86.00 USD, removed',
    );
    expect(refreshes).toEqual(['sales']);
  });

  it('says when nothing matches, and shows what the API answers to a failed removal', async () => {
    const { fixture, http, byTestId, text, find } = await setup('admin');
    await find('etsy', '999');
    http.expectOne((r) => r.url === '/api/orders/find').flush({ orders: [] });
    await fixture.whenStable();
    expect(text('order-matches')).toBe('No such order.');

    await find('shopify', '1047');
    http.expectOne((r) => r.url === '/api/orders/find').flush({ orders: [ORDER] });
    await fixture.whenStable();
    byTestId<HTMLButtonElement>('order-remove')!.click();
    await fixture.whenStable();
    byTestId<HTMLButtonElement>('order-remove-confirm')!.click();
    http
      .expectOne({ method: 'DELETE', url: '/api/orders/42' })
      .flush(
        { statusCode: 404, message: 'order 42 is not in the figures: unknown, or removed already' },
        { status: 404, statusText: 'Not Found' },
      );
    await fixture.whenStable();
    expect(text('order-removal-message')).toBe('order 42 is not in the figures: unknown, or removed already');
  });

  it('is not shown to a viewer', async () => {
    const { byTestId } = await setup('viewer');
    expect(byTestId('order-find-form')).toBeNull();
  });
});
