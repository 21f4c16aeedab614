import { parseAmazonOrder } from './amazon.parser';
import { parseEbayOrder } from './ebay.parser';
import { parseEtsyReceipt } from './etsy.parser';

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
      platformUpdatedAt: new Date('2025-05-15T10:00:00Z'),
      refunds: [],
      raw: null,
    });
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
    expect(pending).toMatchObject({ currency: 'EUR', total: '0.00', status: 'pending', country: null });
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
