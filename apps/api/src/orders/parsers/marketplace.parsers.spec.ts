import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAmazonOrder } from './amazon.parser';
import { parseEbayOrder } from './ebay.parser';
import { parseEtsyReceipt } from './etsy.parser';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8')) as Record<string, unknown>;

const noRefund = { refundedAmount: '0.00', refundedQuantity: 0 };

describe('parseEtsyReceipt', () => {
  const receipt = {
    receipt_id: 3456789012,
    status: 'Completed',
    created_timestamp: 1747216800,
    updated_timestamp: 1747303200,
    country_iso: 'gb',
    grandtotal: { amount: 3450, divisor: 100, currency_code: 'GBP' },
    refunds: [],
  };

  it('divides money by its divisor and reads epoch seconds', () => {
    expect({ ...parseEtsyReceipt(receipt, '777'), raw: null }).toEqual({
      platform: 'etsy',
      store: '777',
      externalId: '3456789012',
      orderNumber: '3456789012',
      createdAt: new Date('2025-05-14T10:00:00Z'),
      currency: 'GBP',
      total: '34.50',
      country: 'GB',
      status: 'paid',
      test: false,
      priced: true,
      platformUpdatedAt: new Date('2025-05-15T10:00:00Z'),
      refunds: [],
      lines: [],
      raw: null,
    });
  });

  it('reads the transactions as lines: unit price × quantity, variations, listing id, an ISBN SKU as GTIN', () => {
    const parsed = parseEtsyReceipt(fixture('etsy-receipt.json'), '777');
    expect(parsed).toMatchObject({ externalId: '3456789012', total: '34.50', currency: 'GBP', priced: true });
    expect(parsed.lines).toEqual([
      {
        externalId: '4100000001',
        title: 'The Salt Road',
        variant: 'Format: Paperback',
        sku: 'SR-PB-002',
        gtin: null,
        productId: '1500000001',
        quantity: 1,
        unitPrice: '18.00',
        lineTotal: '18.00',
        ...noRefund,
      },
      {
        externalId: '4100000002',
        title: 'Tidewater: Poems',
        variant: null,
        sku: '978-0-306-40615-7',
        gtin: '9780306406157',
        productId: '1500000002',
        quantity: 2,
        unitPrice: '6.00',
        lineTotal: '12.00',
        ...noRefund,
      },
    ]);
  });

  it.each([
    ['Canceled', [], 'cancelled'],
    ['Fully Refunded', [], 'refunded'],
    [
      'Completed',
      [{ amount: { amount: 3450, divisor: 100, currency_code: 'GBP' }, created_timestamp: 1747400000 }],
      'refunded',
    ],
    [
      'Completed',
      [{ amount: { amount: 1000, divisor: 100, currency_code: 'GBP' }, created_timestamp: 1747400000 }],
      'partially_refunded',
    ],
    ['Open', [], 'pending'],
  ])('status %s with refunds %j is %s', (status, refunds, expected) => {
    expect(parseEtsyReceipt({ ...receipt, status, refunds }, '777').status).toBe(expected);
  });

  it('keys a refund by its time and amount (Etsy gives it no id), skipping failed ones', () => {
    const parsed = parseEtsyReceipt(
      {
        ...receipt,
        refunds: [
          {
            amount: { amount: 1000, divisor: 100, currency_code: 'GBP' },
            created_timestamp: 1747400000,
            status: 'success',
          },
          {
            amount: { amount: 500, divisor: 100, currency_code: 'GBP' },
            created_timestamp: 1747400001,
            status: 'failed',
          },
        ],
      },
      '777',
    );
    expect(parsed.refunds).toEqual([
      { externalId: '1747400000:10.00', refundedAt: new Date(1747400000 * 1000), amount: '10.00' },
    ]);
  });
});

describe('parseAmazonOrder', () => {
  const shippedOrder = {
    AmazonOrderId: '111-1234567-1234567',
    PurchaseDate: '2025-05-14T10:00:00Z',
    LastUpdateDate: '2025-05-15T10:00:00Z',
    OrderStatus: 'Shipped',
    OrderTotal: { CurrencyCode: 'USD', Amount: '69.11' },
    ShippingAddress: { CountryCode: 'US' },
  };
  const items = () =>
    ((fixture('amazon-order-items.json')['payload'] as Record<string, unknown>)['OrderItems'] as unknown[]).map(
      (item) => item as Record<string, unknown>,
    );

  it('reads getOrderItems as lines: ItemPrice is the line before promotions, a cancelled item is no line', () => {
    const parsed = parseAmazonOrder(shippedOrder, '', 'USD', items());
    expect(parsed).toMatchObject({ status: 'paid', priced: true, total: '69.11' });
    expect(parsed.lines).toEqual([
      {
        externalId: '68828574383266',
        title: 'The Salt Road "Hardcover"',
        variant: null,
        sku: 'SR-HC-001',
        gtin: '9780306406157',
        productId: '0306406152',
        quantity: 2,
        unitPrice: '32.00',
        lineTotal: '60.00',
        ...noRefund,
      },
    ]);
  });

  it('an order whose every item was cancelled is cancelled; a Pending one without OrderTotal is unpriced', () => {
    const cancelledItems = items().map((item) => ({ ...item, QuantityOrdered: 0 }));
    expect(parseAmazonOrder({ ...shippedOrder, OrderStatus: 'Unshipped' }, '', 'USD', cancelledItems)).toMatchObject({
      status: 'cancelled',
      lines: [],
    });
    const pending = parseAmazonOrder(
      { AmazonOrderId: '111-2', PurchaseDate: '2025-05-14T10:00:00Z', OrderStatus: 'Pending' },
      '',
      'USD',
      [{ ASIN: 'B0X', SellerSKU: 'LK-SE-004', OrderItemId: '9', Title: 'Lanterns of Kell', QuantityOrdered: 1 }],
    );
    expect(pending).toMatchObject({ status: 'pending', priced: false, total: '0.00' });
    expect(pending.lines).toEqual([
      {
        externalId: '9',
        title: 'Lanterns of Kell',
        variant: null,
        sku: 'LK-SE-004',
        gtin: null,
        productId: 'B0X',
        quantity: 1,
        unitPrice: null,
        lineTotal: null,
        ...noRefund,
      },
    ]);
  });

  it('reads OrderTotal, falls back to the marketplace currency on Pending orders, keeps replacements out of sums', () => {
    const shipped = parseAmazonOrder(
      {
        AmazonOrderId: '111-1',
        PurchaseDate: '2025-05-14T10:00:00Z',
        LastUpdateDate: '2025-05-15T10:00:00Z',
        OrderStatus: 'Shipped',
        OrderTotal: { CurrencyCode: 'USD', Amount: '64.99' },
        ShippingAddress: { CountryCode: 'US' },
      },
      '',
      'EUR',
    );
    expect(shipped).toMatchObject({
      externalId: '111-1',
      currency: 'USD',
      total: '64.99',
      country: 'US',
      status: 'paid',
      test: false,
    });
    const pending = parseAmazonOrder(
      {
        AmazonOrderId: '111-2',
        PurchaseDate: '2025-05-14T10:00:00Z',
        OrderStatus: 'Pending',
        MarketplaceId: 'A1PA6795UKMFR9',
      },
      '',
      'USD',
    );
    expect(pending).toMatchObject({ currency: 'EUR', total: '0.00', status: 'pending', country: null, priced: false });
    expect(
      parseAmazonOrder(
        { AmazonOrderId: '111-3', PurchaseDate: '2025-05-14T10:00:00Z', OrderStatus: 'Canceled' },
        '',
        'USD',
      ).status,
    ).toBe('cancelled');
    expect(
      parseAmazonOrder(
        {
          AmazonOrderId: '111-4',
          PurchaseDate: '2025-05-14T10:00:00Z',
          OrderStatus: 'Shipped',
          IsReplacementOrder: true,
        },
        '',
        'USD',
      ).test,
    ).toBe(true);
  });
});

describe('parseEbayOrder', () => {
  it('reads lineItems: lineItemCost less applied promotions, variation aspects, legacy item id, line refunds', () => {
    const parsed = parseEbayOrder(fixture('ebay-order.json'), '');
    expect(parsed).toMatchObject({ total: '50.00', currency: 'GBP', status: 'partially_refunded', priced: true });
    expect(parsed.lines).toEqual([
      {
        externalId: '10051234567801',
        title: 'Tidewater',
        variant: null,
        sku: 'TW-PO-003',
        gtin: null,
        productId: '395112233446',
        quantity: 1,
        unitPrice: '12.00',
        lineTotal: '12.00',
        refundedAmount: '12.00',
        refundedQuantity: 0,
      },
      {
        externalId: '10051234567802',
        title: 'Lanterns of Kell',
        variant: 'Format: Signed Edition',
        sku: 'LK-SE-004',
        gtin: null,
        productId: '395112233447',
        quantity: 2,
        unitPrice: '20.00',
        lineTotal: '38.00',
        ...noRefund,
      },
    ]);
  });

  const order = {
    orderId: '07-12843-55021',
    creationDate: '2025-05-06T17:22:09.000Z',
    lastModifiedDate: '2025-05-07T09:00:00.000Z',
    orderPaymentStatus: 'PAID',
    cancelStatus: { cancelState: 'NONE_REQUESTED' },
    pricingSummary: {
      total: { value: '48.00', currency: 'USD', convertedFromValue: '44.20', convertedFromCurrency: 'EUR' },
    },
    fulfillmentStartInstructions: [{ shippingStep: { shipTo: { contactAddress: { countryCode: 'US' } } } }],
  };

  it('takes the seller-currency value, and the buyer country from finalDestinationAddress under eBay International Shipping', () => {
    expect(parseEbayOrder(order, '')).toMatchObject({
      externalId: '07-12843-55021',
      currency: 'USD',
      total: '48.00',
      country: 'US',
      status: 'paid',
    });
    const eis = {
      ...order,
      fulfillmentStartInstructions: [
        {
          ebaySupportedFulfillment: true,
          finalDestinationAddress: { countryCode: 'DE' },
          shippingStep: { shipTo: { contactAddress: { countryCode: 'US' } } },
        },
      ],
    };
    expect(parseEbayOrder(eis, '').country).toBe('DE');
  });

  it.each([
    [{ cancelStatus: { cancelState: 'CANCELED' } }, 'cancelled'],
    [{ orderPaymentStatus: 'FULLY_REFUNDED' }, 'refunded'],
    [{ orderPaymentStatus: 'PARTIALLY_REFUNDED' }, 'partially_refunded'],
    [{ orderPaymentStatus: 'FAILED' }, 'voided'],
    [{ orderPaymentStatus: 'PENDING' }, 'pending'],
  ])('maps %j to %s', (changes, status) => {
    expect(parseEbayOrder({ ...order, ...changes }, '').status).toBe(status);
  });
});
