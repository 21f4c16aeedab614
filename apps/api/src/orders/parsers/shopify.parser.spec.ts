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
      priced: true,
      platformUpdatedAt: new Date('2025-05-14T13:12:46Z'),
      refunds: [],
      // Shop money; the SPRING10 code is allocated to the lines (3.20 + 4.80), so they add up to subtotal_price 72.00.
      lines: [
        {
          externalId: '15893047124289',
          title: 'The Salt Road',
          variant: 'Hardcover',
          sku: 'SR-HC-001',
          gtin: null,
          productId: '8420113547585',
          quantity: 1,
          unitPrice: '32.00',
          lineTotal: '28.80',
          refundedAmount: '0.00',
          refundedQuantity: 0,
        },
        {
          externalId: '15893047157057',
          title: 'Lanterns of Kell',
          variant: 'Signed Edition',
          sku: 'LK-SE-004',
          gtin: null,
          productId: '8420117446977',
          quantity: 2,
          unitPrice: '24.00',
          lineTotal: '43.20',
          refundedAmount: '0.00',
          refundedQuantity: 0,
        },
      ],
      raw: undefined,
    });
  });

  it('adds up line refunds of refunds that moved money, in shop money; an ISBN as SKU is the GTIN', () => {
    const base = fixture('shopify-orders-create.json');
    const items = base['line_items'] as Array<Record<string, unknown>>;
    const order = parseShopifyOrder(
      {
        ...base,
        line_items: [
          {
            ...items[0],
            sku: '978-0-306-40615-7',
            discount_allocations: [],
            total_discount: '1.00',
            total_discount_set: {
              shop_money: { amount: '1.00', currency_code: 'USD' },
              presentment_money: { amount: '0.92', currency_code: 'EUR' },
            },
          },
          items[1],
        ],
        refunds: [
          {
            id: 1,
            created_at: '2025-05-20T10:00:00-04:00',
            transactions: [{ kind: 'refund', status: 'success', amount: '21.60', currency: 'USD' }],
            refund_line_items: [
              {
                line_item_id: 15893047157057,
                quantity: 1,
                subtotal: 19.9,
                subtotal_set: {
                  shop_money: { amount: '21.60', currency_code: 'USD' },
                  presentment_money: { amount: '19.90', currency_code: 'EUR' },
                },
              },
            ],
          },
          {
            id: 2,
            created_at: '2025-05-21T10:00:00-04:00',
            transactions: [{ kind: 'refund', status: 'success', amount: '21.60', currency: 'USD' }],
            refund_line_items: [{ line_item_id: 15893047157057, quantity: 1, subtotal: 21.6 }],
          },
          // Restock only: no money moved, so the line is not refunded.
          {
            id: 3,
            created_at: '2025-05-22T10:00:00-04:00',
            transactions: [],
            refund_line_items: [{ line_item_id: 15893047124289, quantity: 1, subtotal: 28.8 }],
          },
        ],
      },
      's',
    );
    expect(order.lines.map((l) => [l.sku, l.gtin, l.lineTotal, l.refundedAmount, l.refundedQuantity])).toEqual([
      ['978-0-306-40615-7', '9780306406157', '31.00', '0.00', 0],
      ['LK-SE-004', null, '43.20', '43.20', 2],
    ]);
  });

  it('names the line of a quantity that is not a whole number', () => {
    const base = fixture('shopify-orders-create.json');
    const items = base['line_items'] as Array<Record<string, unknown>>;
    expect(() => parseShopifyOrder({ ...base, line_items: [items[0], { ...items[1], quantity: 1.5 }] }, 's')).toThrow(
      'line_items[1].quantity: "1.5" is not a quantity',
    );
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
