import { shopifyOrder } from '../fixtures/webhook-fixtures';
import { readOrderJson, recogniseOrderJson } from './order-json';
import { turnsDuring } from '../../../test/event-loop-turns';

const ELEMENTS = 450;

describe('readOrderJson', () => {
  it('parses a file larger than one slice with turns of the event loop between slices of 100 orders', async () => {
    const orders = Array.from({ length: ELEMENTS }, (_, i) => shopifyOrder({ id: 9_300_000_000 + i, name: `#K${i}` }));
    const kind = recogniseOrderJson({ orders: orders.slice(0, 1) })!;
    // Elements that are at hand at once (no I/O between them), as a file read ahead gives them.
    async function* elements() {
      for (const value of orders) yield { value };
    }
    const built: string[] = [];
    const turns = await turnsDuring(async () => {
      for await (const result of readOrderJson(kind, elements(), {
        store: 'shop.myshopify.com',
        storeGiven: true,
        baseCurrency: 'USD',
      }))
        if ('order' in result) built.push(result.order.externalId);
    });
    expect(built).toEqual(orders.map((order) => String(order.id)));
    expect(turns).toBeGreaterThanOrEqual(Math.floor(ELEMENTS / 100));
  });
});
