import { DeliveryBatcher, BatchedDelivery } from './delivery-batcher';
import { NormalizedOrder } from './normalized-order';
import { OrderChange } from './orders.repository';

const order = (externalId: string): NormalizedOrder => ({
  platform: 'shopify',
  store: 's',
  externalId,
  orderNumber: null,
  createdAt: new Date('2025-05-14T00:00:00Z'),
  currency: 'USD',
  total: '1.00',
  country: null,
  status: 'paid',
  test: false,
  priced: true,
  platformUpdatedAt: null,
  refunds: [],
  lines: [],
  raw: null,
});
const change = (id: string): OrderChange => ({ result: 'inserted', orderId: id, refundsInserted: 0, event: null });

describe('DeliveryBatcher', () => {
  it('writes the deliveries submitted together in one call, and repeats of an id or order key in the next', async () => {
    const calls: string[][] = [];
    const batcher = new DeliveryBatcher(async (deliveries: BatchedDelivery[]) => {
      calls.push(deliveries.map((d) => `${d.deliveryId}/${d.order.externalId}`));
      return deliveries.map((d) => change(d.deliveryId));
    });
    const results = await Promise.all([
      batcher.submit({ deliveryId: 'a', topic: null, order: order('1') }),
      batcher.submit({ deliveryId: 'b', topic: null, order: order('2') }),
      batcher.submit({ deliveryId: 'a', topic: null, order: order('1') }),
      batcher.submit({ deliveryId: 'c', topic: null, order: order('2') }),
      batcher.submit({ deliveryId: 'd', topic: null, order: order('3') }),
    ]);
    expect(calls).toEqual([
      ['a/1', 'b/2', 'd/3'],
      ['a/1', 'c/2'],
    ]);
    expect(results.map((r) => r?.orderId)).toEqual(['a', 'b', 'a', 'c', 'd']);
  });

  it('fails only the delivery that cannot be written, and keeps working after an outage', async () => {
    let down = true;
    const batcher = new DeliveryBatcher(async (deliveries: BatchedDelivery[]) => {
      if (down) throw new Error('database down');
      if (deliveries.some((d) => d.deliveryId === 'bad')) throw new Error('numeric field overflow');
      return deliveries.map((d) => change(d.deliveryId));
    });
    const outage = await Promise.allSettled([
      batcher.submit({ deliveryId: 'a', topic: null, order: order('1') }),
      batcher.submit({ deliveryId: 'b', topic: null, order: order('2') }),
    ]);
    expect(outage.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    down = false;
    const mixed = await Promise.allSettled([
      batcher.submit({ deliveryId: 'bad', topic: null, order: order('9') }),
      batcher.submit({ deliveryId: 'b', topic: null, order: order('2') }),
    ]);
    expect(mixed.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect((await batcher.submit({ deliveryId: 'c', topic: null, order: order('3') }))?.orderId).toBe('c');
  });
});
