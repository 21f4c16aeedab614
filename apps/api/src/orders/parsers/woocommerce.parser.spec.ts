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
      platformUpdatedAt: new Date('2025-05-16T12:42:10Z'),
      refunds: [],
      raw: undefined,
    });
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
