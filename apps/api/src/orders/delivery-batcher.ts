import { NormalizedOrder } from './normalized-order';
import { orderKey } from './order-identity';
import { OrderChange } from './orders.repository';

export interface BatchedDelivery {
  deliveryId: string;
  topic: string | null;
  order: NormalizedOrder;
}

type Write = (deliveries: BatchedDelivery[]) => Promise<Array<OrderChange | null>>;

interface Pending extends BatchedDelivery {
  resolve(change: OrderChange | null): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 200;

/**
 * Webhooks come in bursts, many at once. Instead of one statement per delivery, the deliveries that
 * arrive while a statement runs are written together by the next one: one round trip and one commit for
 * all of them, each request answered only after that commit. One statement is in flight at a time; a
 * delivery id or order key seen twice waits for the next statement (a row may change once per statement).
 */
export class DeliveryBatcher {
  private queue: Pending[] = [];
  private running = false;

  constructor(private readonly write: Write) {}

  submit(delivery: BatchedDelivery): Promise<OrderChange | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...delivery, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Let the deliveries parsed in this turn of the event loop join the first statement.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.takeBatch();
      try {
        const changes = await this.write(batch);
        batch.forEach((delivery, i) => delivery.resolve(changes[i] ?? null));
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        // One bad delivery must not fail the others: write them one by one (each fails or lands alone).
        else for (const delivery of batch) await this.writeAlone(delivery);
      }
    }
    this.running = false;
  }

  private async writeAlone(delivery: Pending): Promise<void> {
    try {
      delivery.resolve((await this.write([delivery]))[0] ?? null);
    } catch (error) {
      delivery.reject(error);
    }
  }

  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const ids = new Set<string>();
    const keys = new Set<string>();
    for (const delivery of this.queue) {
      const id = `${delivery.order.platform}\u0000${delivery.deliveryId}`;
      const key = orderKey(delivery.order);
      if (batch.length < MAX_BATCH && !ids.has(id) && !keys.has(key)) {
        batch.push(delivery);
        ids.add(id);
        keys.add(key);
      } else {
        rest.push(delivery);
      }
    }
    this.queue = rest;
    return batch;
  }
}
