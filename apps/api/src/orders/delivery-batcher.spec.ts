import { DeliveryBatcher, BatchedDelivery, StoreDeadlineError } from './delivery-batcher';
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
/** Longer than any of these tests takes: only the deadline test waits for its own. */
const NO_DEADLINE = 10 * 60_000;
/** What PostgreSQL says about a value it refuses (SQLSTATE 22003), as the pg driver reports it. */
const refused = () => Object.assign(new Error('numeric field overflow'), { code: '22003' });
const deliveries = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ deliveryId: `d${i + 1}`, topic: null, order: order(String(i + 1)) }));

describe('DeliveryBatcher', () => {
  it('writes the deliveries submitted together in one call, and repeats of an id or order key in the next', async () => {
    const calls: string[][] = [];
    const batcher = new DeliveryBatcher(async (deliveries: BatchedDelivery[]) => {
      calls.push(deliveries.map((d) => `${d.deliveryId}/${d.order.externalId}`));
      return deliveries.map((d) => change(d.deliveryId));
    }, NO_DEADLINE);
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
      if (deliveries.some((d) => d.deliveryId === 'bad')) throw refused();
      return deliveries.map((d) => change(d.deliveryId));
    }, NO_DEADLINE);
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

  it('fails a batch that cannot reach the database with one statement, not one per delivery', async () => {
    const calls: number[] = [];
    const batcher = new DeliveryBatcher(async (batch: BatchedDelivery[]) => {
      calls.push(batch.length);
      throw new Error('timeout exceeded when trying to connect');
    }, NO_DEADLINE);
    const results = await Promise.allSettled(deliveries(16).map((d) => batcher.submit(d)));
    expect(results.map((r) => r.status)).toEqual(Array(16).fill('rejected'));
    expect(calls).toEqual([16]);
  });

  it('finds a refused delivery among 16 by halves: 9 statements, the 15 others stored', async () => {
    const calls: number[] = [];
    const batcher = new DeliveryBatcher(async (batch: BatchedDelivery[]) => {
      calls.push(batch.length);
      if (batch.some((d) => d.deliveryId === 'd11')) throw refused();
      return batch.map((d) => change(d.deliveryId));
    }, NO_DEADLINE);
    const results = await Promise.allSettled(deliveries(16).map((d) => batcher.submit(d)));
    expect(results.map((r) => r.status)).toEqual([
      ...Array(10).fill('fulfilled'),
      'rejected',
      ...Array(5).fill('fulfilled'),
    ]);
    // Depth first: all 16, d1–8, d9–16, d9–12, d9–10, d11–12, d11, d12, d13–16.
    expect(calls).toEqual([16, 8, 8, 4, 2, 2, 1, 1, 4]);
  });

  it('answers deliveries still waiting at the deadline with StoreDeadlineError and never writes them', async () => {
    const written: string[][] = [];
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    let unblock!: () => void;
    const stall = new Promise<void>((resolve) => (unblock = resolve));
    const batcher = new DeliveryBatcher(async (batch: BatchedDelivery[]) => {
      written.push(batch.map((d) => d.deliveryId));
      started();
      await stall; // the database holds the first statement (a lock, a busy server)
      return batch.map((d) => change(d.deliveryId));
    }, 50);
    const [first, ...waiting] = deliveries(3);
    const inFlight = batcher.submit(first!);
    await firstStarted;
    const queued = waiting.map((d) => batcher.submit(d));
    // The deadline passes while the first statement is held, whatever the machine's speed.
    const answers = await Promise.allSettled([inFlight, ...queued]);
    expect(answers.map((a) => (a.status === 'rejected' ? a.reason : a.value))).toEqual([
      new StoreDeadlineError(50),
      new StoreDeadlineError(50),
      new StoreDeadlineError(50),
    ]);
    unblock();
    // The statement that was running lands; the two that only waited are dropped, and the next is written.
    expect((await batcher.submit({ deliveryId: 'later', topic: null, order: order('9') }))?.orderId).toBe('later');
    expect(written).toEqual([['d1'], ['later']]);
  });
});
