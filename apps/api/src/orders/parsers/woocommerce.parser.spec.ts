import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWooCommerceOrder, wooStatus } from './woocommerce.parser';

const sample = () =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'woocommerce-order-created.json'), 'utf8')) as Record<
    string,
    unknown
  >;

describe('parseWooCommerceOrder', () => {
  it('reads the sample: *_gmt timestamps are UTC without a zone, money as given', () => {
    const order = parseWooCommerceOrder(sample(), 'https://books.harbourquill.example');
    expect({ ...order, raw: undefined }).toEqual({
      platform: 'woocommerce',
      store: 'https://books.harbourquill.example',
      externalId: '2381',
      orderNumber: '2381',
      createdAt: new Date('2025-05-16T12:42:07Z'),
      currency: 'GBP',
      total: '42.43',
      country: 'IE',
      status: 'paid',
      test: false,
      priced: true,
      platformUpdatedAt: new Date('2025-05-16T12:42:10Z'),
      refunds: [],
      lines: [
        {
          externalId: '1904',
          title: 'The Salt Road (Paperback)',
          variant: null,
          sku: 'SR-PB-002',
          gtin: null,
          productId: '311',
          quantity: 2,
          unitPrice: '12.99',
          lineTotal: '25.98',
          refundedAmount: '0.00',
          refundedQuantity: 0,
        },
        {
          externalId: '1905',
          title: 'Tidewater: Poems',
          variant: null,
          sku: 'TW-PO-003',
          gtin: null,
          productId: '327',
          quantity: 1,
          unitPrice: '11.50',
          lineTotal: '11.50',
          refundedAmount: '0.00',
          refundedQuantity: 0,
        },
      ],
      raw: undefined,
    });
  });

  it('takes a line total after coupons, the unit price from the subtotal, and a variation from its visible meta_data', () => {
    const order = parseWooCommerceOrder(
      {
        ...sample(),
        line_items: [
          {
            id: 1910,
            name: 'The Salt Road - Hardcover',
            product_id: 311,
            variation_id: 318,
            quantity: 3,
            subtotal: '100.00',
            total: '90.00',
            total_tax: '0.00',
            sku: '9780306406157',
            price: 30,
            meta_data: [
              { id: 1, key: 'pa_format', value: 'hardcover', display_key: 'Format', display_value: 'Hardcover' },
              { id: 2, key: '_reduced_stock', value: '3', display_key: '_reduced_stock', display_value: '3' },
            ],
          },
        ],
      },
      's',
    );
    expect(order.lines).toEqual([
      {
        externalId: '1910',
        title: 'The Salt Road - Hardcover',
        variant: 'Hardcover',
        sku: '9780306406157',
        gtin: '9780306406157',
        productId: '311',
        quantity: 3,
        unitPrice: '33.33',
        lineTotal: '90.00',
        refundedAmount: '0.00',
        refundedQuantity: 0,
      },
    ]);
  });

  it('turns negative refund totals into positive refunds dated with the modification time', () => {
    const order = parseWooCommerceOrder({ ...sample(), refunds: [{ id: 9, reason: '', total: '-12.99' }] }, 's');
    expect(order.refunds).toEqual([{ externalId: '9', refundedAt: new Date('2025-05-16T12:42:10Z'), amount: '12.99' }]);
  });

  it.each([
    ['processing', 'paid'],
    ['completed', 'paid'],
    ['on-hold', 'pending'],
    ['pending', 'pending'],
    ['refunded', 'refunded'],
    ['cancelled', 'cancelled'],
    ['trash', 'cancelled'],
    ['failed', 'voided'],
    ['wc-completed', 'paid'],
  ])('maps status %s to %s', (status, expected) => {
    expect(wooStatus(status)).toBe(expected);
  });
});
