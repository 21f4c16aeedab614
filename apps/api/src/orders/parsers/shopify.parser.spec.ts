import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonKeepingBigInts } from '../safe-json';
import { parseShopifyOrder, parseShopifyRefund } from './shopify.parser';

const fixture = (name: string) =>
  parseJsonKeepingBigInts(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8')) as Record<string, unknown>;

describe('parseShopifyOrder', () => {
  it('reads the sample order in shop currency, UTC, with the billing country', () => {
    const order = parseShopifyOrder(fixture('shopify-orders-create.json'), 'harbour-quill.myshopify.com');
    expect({ ...order, raw: undefined }).toEqual({
      platform: 'shopify',
      store: 'harbour-quill.myshopify.com',
      externalId: '6231859937601',
      orderNumber: '#1047',
      createdAt: new Date('2025-05-14T13:12:44Z'),
      currency: 'USD',
      total: '86.00',
      country: 'DE',
      status: 'paid',
      test: false,
      platformUpdatedAt: new Date('2025-05-14T13:12:46Z'),
      refunds: [],
      raw: undefined,
    });
  });

  it('keeps the test notification id exact and marks it test and cancelled', () => {
    const order = parseShopifyOrder(fixture('shopify-test-notification.json'), 'x.myshopify.com');
    expect(order).toMatchObject({
      externalId: '820982911946154508',
      test: true,
      status: 'cancelled',
      total: '398.00',
      country: 'US',
    });
  });

  it.each([
    [{ financial_status: 'refunded' }, 'refunded'],
    [{ financial_status: 'voided' }, 'voided'],
    [{ financial_status: 'authorized' }, 'authorized'],
    [{ financial_status: 'paid', cancelled_at: '2025-05-15T00:00:00Z' }, 'cancelled'],
    [{ financial_status: null }, 'pending'],
  ])('maps %j to %s', (changes, status) => {
    expect(parseShopifyOrder({ ...fixture('shopify-orders-create.json'), ...changes }, 's').status).toBe(status);
  });

  it('takes the country from the shipping address, then the customer, when billing has none', () => {
    const base = fixture('shopify-orders-create.json');
    expect(
      parseShopifyOrder({ ...base, billing_address: null, shipping_address: { country_code: 'gb' } }, 's').country,
    ).toBe('GB');
    expect(
      parseShopifyOrder({ ...base, billing_address: null, shipping_address: null, customer: null }, 's').country,
    ).toBeNull();
  });

  it('sums successful refund transactions and ignores failed ones', () => {
    const order = parseShopifyOrder(
      {
        ...fixture('shopify-orders-create.json'),
        refunds: [
          {
            id: 1,
            created_at: '2025-05-20T10:00:00-04:00',
            transactions: [
              { kind: 'refund', status: 'success', amount: '10.00', currency: 'USD' },
              { kind: 'refund', status: 'failure', amount: '99.00', currency: 'USD' },
              { kind: 'refund', status: 'success', amount: '2.50', currency: 'USD' },
            ],
          },
          { id: 2, created_at: '2025-05-21T10:00:00-04:00', transactions: [], refund_line_items: [{ subtotal: 32 }] },
        ],
      },
      's',
    );
    expect(order.refunds).toEqual([{ externalId: '1', refundedAt: new Date('2025-05-20T14:00:00Z'), amount: '12.50' }]);
  });

  it('uses the shop-money side of refunded lines when the refund was paid in the presentment currency', () => {
    const refund = parseShopifyRefund(
      {
        id: 77,
        order_id: 6231859937601,
        created_at: '2025-05-20T10:00:00-04:00',
        transactions: [{ kind: 'refund', status: 'success', amount: '29.48', currency: 'EUR' }],
        refund_line_items: [
          {
            subtotal: 29.48,
            subtotal_set: {
              shop_money: { amount: '32.00', currency_code: 'USD' },
              presentment_money: { amount: '29.48', currency_code: 'EUR' },
            },
            total_tax_set: {
              shop_money: { amount: '0.00', currency_code: 'USD' },
              presentment_money: { amount: '0.00', currency_code: 'EUR' },
            },
          },
        ],
      },
      's',
      'USD',
    );
    expect(refund).toMatchObject({ externalId: '77', orderExternalId: '6231859937601', amount: '32.00' });
  });
});
