import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NormalizedLine, NormalizedOrder } from '../normalized-order';
import { readOrderFile } from './order-file-reader';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name));
const ctx = async () => ({ store: 'store', zone: 'Europe/Berlin', baseCurrency: 'USD' });
const summary = (o: NormalizedOrder) => ({
  id: o.externalId,
  number: o.orderNumber,
  createdAt: o.createdAt.toISOString(),
  currency: o.currency,
  total: o.total,
  country: o.country,
  status: o.status,
  refunds: o.refunds.map((r) => r.amount),
});

describe('readOrderFile', () => {
  it('reads a Shopify export: BOM, 79+ columns, one row per line item, DST offsets, per-row currency', async () => {
    const file = await readOrderFile(fixture('shopify-orders-export.csv'), ctx);
    expect(file).toMatchObject({ platform: 'shopify', rows: 5, errors: [] });
    expect(file.orders.map(summary)).toEqual([
      {
        id: '6231859937601',
        number: '#1047',
        createdAt: '2025-05-14T13:12:44.000Z',
        currency: 'USD',
        total: '86.00',
        country: 'DE',
        status: 'paid',
        refunds: [],
      },
      {
        id: '6231859900001',
        number: '#1012',
        createdAt: '2025-02-03T23:05:00.000Z',
        currency: 'USD',
        total: '45.50',
        country: 'GB',
        status: 'partially_refunded',
        refunds: ['10.00'],
      },
      {
        id: '6231859900002',
        number: '#1013',
        createdAt: '2025-03-09T14:00:00.000Z',
        currency: 'USD',
        total: '20.00',
        country: 'FR',
        status: 'cancelled',
        refunds: [],
      },
      {
        id: '6231859900003',
        number: '#1014',
        createdAt: '2025-05-01T12:00:00.000Z',
        currency: 'CAD',
        total: '60.00',
        country: 'CA',
        status: 'paid',
        refunds: [],
      },
    ]);
  });

  it('reads Etsy sold orders: date-only (noon in the business zone), country names, $ prefixes, adjusted totals', async () => {
    const file = await readOrderFile(fixture('EtsySoldOrders2025-5.csv'), ctx);
    expect(file).toMatchObject({ platform: 'etsy', rows: 3, errors: [] });
    expect(file.orders.map(summary)).toEqual([
      {
        id: '3456789012',
        number: '3456789012',
        createdAt: '2025-05-14T10:00:00.000Z',
        currency: 'GBP',
        total: '34.50',
        country: 'GB',
        status: 'paid',
        refunds: [],
      },
      {
        id: '3456789013',
        number: '3456789013',
        createdAt: '2025-05-15T10:00:00.000Z',
        currency: 'USD',
        total: '30.00',
        country: 'US',
        status: 'partially_refunded',
        refunds: ['12.00'],
      },
      {
        id: '3456789014',
        number: '3456789014',
        createdAt: '2025-05-16T10:00:00.000Z',
        currency: 'EUR',
        total: '22.00',
        country: 'DE',
        status: 'paid',
        refunds: [],
      },
    ]);
  });

  it('reads the Amazon all-orders TSV: rows summed per order, cancelled items left out, Pending without prices', async () => {
    const file = await readOrderFile(fixture('amazon-all-orders.txt'), ctx);
    expect(file).toMatchObject({ platform: 'amazon', rows: 5, errors: [] });
    expect(file.orders.map(summary)).toEqual([
      // 64.00 + 5.12 + 3.99 − 4.00; the cancelled Tidewater row does not count
      {
        id: '111-1234567-1234567',
        number: '111-1234567-1234567',
        createdAt: '2025-05-14T10:00:00.000Z',
        currency: 'USD',
        total: '69.11',
        country: 'US',
        status: 'paid',
        refunds: [],
      },
      {
        id: '202-7654321-7654321',
        number: '202-7654321-7654321',
        createdAt: '2025-05-16T08:30:00.000Z',
        currency: 'GBP',
        total: '0.00',
        country: null,
        status: 'pending',
        refunds: [],
      },
      {
        id: '303-1111111-2222222',
        number: '303-1111111-2222222',
        createdAt: '2025-05-17T08:30:00.000Z',
        currency: 'EUR',
        total: '0.00',
        country: 'DE',
        status: 'cancelled',
        refunds: [],
      },
      // Its only item cancelled while the order is still Unshipped: cancelled, as it sold nothing.
      {
        id: '404-2222222-3333333',
        number: '404-2222222-3333333',
        createdAt: '2025-05-18T09:00:00.000Z',
        currency: 'CAD',
        total: '0.00',
        country: 'CA',
        status: 'cancelled',
        refunds: [],
      },
    ]);
    // The Pending order has no prices yet: stored, not counted.
    expect(file.orders.map((o) => o.priced)).toEqual([true, false, true, true]);
    expect(file.orders[0]!.platformUpdatedAt).toEqual(new Date('2025-05-15T10:00:00Z'));
  });

  it('reads the eBay orders report: blank first line, summary row of a multi-item order, footer lines', async () => {
    const file = await readOrderFile(fixture('ebay-orders-report.csv'), ctx);
    expect(file).toMatchObject({ platform: 'ebay', rows: 4, errors: [] });
    expect(file.orders.map(summary)).toEqual([
      {
        id: '07-12843-55021',
        number: '1001',
        createdAt: '2025-05-06T10:00:00.000Z',
        currency: 'USD',
        total: '48.00',
        country: 'US',
        status: 'paid',
        refunds: [],
      },
      {
        id: '12-12999-00001',
        number: '1002',
        createdAt: '2025-05-07T10:00:00.000Z',
        currency: 'GBP',
        total: '52.00',
        country: 'GB',
        status: 'paid',
        refunds: [],
      },
    ]);
  });

  it('reads a WooCommerce orders export: site-local dates in the business zone, refunded totals', async () => {
    const file = await readOrderFile(fixture('woocommerce-orders-export.csv'), ctx);
    expect(file).toMatchObject({ platform: 'woocommerce', rows: 3, errors: [] });
    expect(file.orders.map(summary)).toEqual([
      {
        id: '2381',
        number: '2381',
        createdAt: '2025-05-16T11:42:07.000Z',
        currency: 'GBP',
        total: '42.43',
        country: 'IE',
        status: 'paid',
        refunds: [],
      },
      {
        id: '2382',
        number: '2382',
        createdAt: '2025-05-17T07:00:00.000Z',
        currency: 'USD',
        total: '30.00',
        country: 'US',
        status: 'paid',
        refunds: ['12.99'],
      },
      {
        id: '2383',
        number: '2383',
        createdAt: '2025-05-18T07:00:00.000Z',
        currency: 'EUR',
        total: '15.00',
        country: null,
        status: 'cancelled',
        refunds: [],
      },
    ]);
  });

  const line = (fields: Partial<NormalizedLine> & Pick<NormalizedLine, 'title' | 'quantity'>): NormalizedLine => ({
    externalId: null,
    variant: null,
    sku: null,
    gtin: null,
    productId: null,
    unitPrice: null,
    lineTotal: null,
    refundedAmount: '0.00',
    refundedQuantity: 0,
    ...fields,
  });
  const linesOf = async (name: string) =>
    (await readOrderFile(fixture(name), ctx)).orders.map((o) => [o.externalId, o.lines]);

  it('reads the line items of a Shopify export: one per row, unit price × quantity less the line discount', async () => {
    expect(await linesOf('shopify-orders-export.csv')).toEqual([
      [
        '6231859937601',
        [
          line({
            title: 'The Salt Road - Hardcover',
            sku: '978-0-306-40615-7',
            gtin: '9780306406157',
            quantity: 1,
            unitPrice: '32.00',
            lineTotal: '32.00',
          }),
          line({ title: 'Lanterns of Kell - Signed Edition', quantity: 2, unitPrice: '24.00', lineTotal: '48.00' }),
        ],
      ],
      ['6231859900001', [line({ title: 'Tidewater: Poems', quantity: 1, unitPrice: '38.00', lineTotal: '33.00' })]],
      [
        '6231859900002',
        [line({ title: 'The Salt Road - Paperback', quantity: 1, unitPrice: '20.00', lineTotal: '20.00' })],
      ],
      ['6231859900003', [line({ title: 'Lanterns of Kell', quantity: 1, unitPrice: '60.00', lineTotal: '60.00' })]],
    ]);
  });

  it('reads the line items of the Amazon report: item-price is the line, promotions off, cancelled items left out', async () => {
    expect(await linesOf('amazon-all-orders.txt')).toEqual([
      [
        '111-1234567-1234567',
        [
          line({
            title: 'The Salt Road "Hardcover"',
            sku: 'SR-HC-001',
            gtin: '9780306406157',
            productId: '0306406152',
            quantity: 2,
            unitPrice: '32.00',
            lineTotal: '60.00',
          }),
        ],
      ],
      ['202-7654321-7654321', [line({ title: 'Lanterns of Kell', sku: 'LK-SE-004', quantity: 1 })]],
      ['303-1111111-2222222', []],
      ['404-2222222-3333333', []],
    ]);
  });

  it('reads the line items of the eBay report: item rows, not the summary row of a multi-item order', async () => {
    expect(await linesOf('ebay-orders-report.csv')).toEqual([
      [
        '07-12843-55021',
        [
          line({
            title: 'The Salt Road',
            productId: '395112233445',
            quantity: 1,
            unitPrice: '40.00',
            lineTotal: '40.00',
          }),
        ],
      ],
      [
        '12-12999-00001',
        [
          line({ title: 'Tidewater', productId: '395112233446', quantity: 1, unitPrice: '12.00', lineTotal: '12.00' }),
          line({ title: 'Lanterns', productId: '395112233447', quantity: 2, unitPrice: '20.00', lineTotal: '40.00' }),
        ],
      ],
    ]);
  });

  it('reads an Etsy Sold Order Items file on its own: orders built from their items, decimal commas', async () => {
    const file = await readOrderFile(fixture('EtsySoldOrderItems2025-5.csv'), ctx);
    expect(file).toMatchObject({ platform: 'etsy', kind: 'order-items', rows: 4, errors: [] });
    expect(file.orders.map(summary)).toEqual([
      // 18.00 + 12.00 + 4.50 shipping (repeated on both rows, counted once)
      {
        id: '3456789012',
        number: '3456789012',
        createdAt: '2025-05-14T10:00:00.000Z',
        currency: 'GBP',
        total: '34.50',
        country: 'GB',
        status: 'paid',
        refunds: [],
      },
      {
        id: '3456789013',
        number: '3456789013',
        createdAt: '2025-05-15T10:00:00.000Z',
        currency: 'USD',
        total: '30.00',
        country: 'US',
        status: 'paid',
        refunds: [],
      },
      // 40,00 − 2,00 coupon + 3,50 shipping
      {
        id: '3456789015',
        number: '3456789015',
        createdAt: '2025-05-18T10:00:00.000Z',
        currency: 'EUR',
        total: '41.50',
        country: 'DE',
        status: 'paid',
        refunds: [],
      },
    ]);
    expect(file.orders.map((o) => [o.externalId, o.lines])).toEqual([
      [
        '3456789012',
        [
          line({
            externalId: '4100000001',
            title: 'The Salt Road',
            variant: 'Format:Paperback',
            sku: 'SR-PB-002',
            productId: '1500000001',
            quantity: 1,
            unitPrice: '18.00',
            lineTotal: '18.00',
          }),
          line({
            externalId: '4100000002',
            title: 'Tidewater: Poems',
            sku: 'TW-PO-003',
            productId: '1500000002',
            quantity: 2,
            unitPrice: '6.00',
            lineTotal: '12.00',
          }),
        ],
      ],
      [
        '3456789013',
        [
          line({
            externalId: '4100000003',
            title: 'Lanterns of Kell',
            variant: 'Format:Signed Edition',
            sku: 'LK-SE-004',
            productId: '1500000003',
            quantity: 1,
            unitPrice: '25.00',
            lineTotal: '25.00',
          }),
        ],
      ],
      [
        '3456789015',
        [
          line({
            externalId: '4100000004',
            title: 'The Salt Road',
            variant: 'Format:Hardcover',
            sku: '9780306406157',
            gtin: '9780306406157',
            productId: '1500000001',
            quantity: 2,
            unitPrice: '20.00',
            lineTotal: '40.00',
          }),
        ],
      ],
    ]);
  });

  it('matches headers by alias whatever their case, spacing and order', async () => {
    const file = await readOrderFile(
      Buffer.from(
        'Order Total Amount,order currency,ORDER STATUS,Order ID,Order Date\n10.50,usd,wc-completed,7,2025-01-02 10:00:00\n',
      ),
      ctx,
    );
    expect(file.errors).toEqual([]);
    expect(file.orders.map(summary)).toEqual([
      {
        id: '7',
        number: '7',
        createdAt: '2025-01-02T09:00:00.000Z',
        currency: 'USD',
        total: '10.50',
        country: null,
        status: 'paid',
        refunds: [],
      },
    ]);
  });

  it('names line and column of bad cells and returns no orders to write', async () => {
    const text = readFileSync(join(__dirname, '..', 'fixtures', 'woocommerce-orders-export.csv'), 'utf8')
      .replace('42.43', 'forty')
      .replace('2025-05-17 09:00:00', '17th of May');
    const file = await readOrderFile(Buffer.from(text), ctx);
    expect(file.errors).toEqual([
      { row: 2, column: 'order_total', message: 'order_total "forty" is not an amount' },
      { row: 3, column: 'order_date', message: 'order_date "17th of May" is not a date' },
    ]);
  });

  it('refuses a file whose header matches no export, and one missing a required column', async () => {
    expect((await readOrderFile(Buffer.from('a,b\n1,2\n'), ctx)).errors).toEqual([
      {
        row: 1,
        column: null,
        message: 'the header row matches no order export of Shopify, WooCommerce, Etsy, Amazon or eBay',
      },
    ]);
    const noTotal = await readOrderFile(
      Buffer.from(
        'Name,Financial Status,Lineitem quantity,Currency,Created at\n#1,paid,1,USD,2025-01-01 10:00:00 +0000\n',
      ),
      ctx,
    );
    expect(noTotal.errors).toEqual([
      { row: 1, column: 'Total', message: 'this looks like a Shopify orders export, but its column Total is missing' },
    ]);
  });
});
