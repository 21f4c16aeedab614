import { isRefusedData } from '../database/postgres-errors';
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
  /** Answered already (the deadline passed): not written any more unless its statement is running. */
  expired: boolean;
}

const MAX_BATCH = 200;

/** A delivery that was not stored within the deadline; it may still land if its statement was running. */
export class StoreDeadlineError extends Error {
  constructor(deadlineMs: number) {
    super(`the delivery could not be stored within ${deadlineMs} ms`);
  }
}

/**
 * Webhooks come in bursts, many at once. Instead of one statement per delivery, the deliveries that
 * arrive while a statement runs are written together by the next one: one round trip and one commit for
 * all of them, each request answered only after that commit. One statement is in flight at a time; a
 * delivery id or order key seen twice waits for the next statement (a row may change once per statement).
 *
 * A platform waits only so long, so a stall must not pile up: a delivery not written within
 * `deadlineMs` is rejected with StoreDeadlineError (and, if still queued, never written: the
 * platform's retry brings it again), and a failed statement is retried only when PostgreSQL refused
 * the data, by halves, so that one bad delivery costs a few statements instead of one per delivery.
 * Any other failure (no connection, the server gone) fails the whole batch at once.
 */
export class DeliveryBatcher {
  private queue: Pending[] = [];
  private running = false;

  constructor(
    private readonly write: Write,
    private readonly deadlineMs: number,
  ) {}

  submit(delivery: BatchedDelivery): Promise<OrderChange | null> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.expired = true;
        reject(new StoreDeadlineError(this.deadlineMs));
      }, this.deadlineMs).unref();
      const pending: Pending = {
        ...delivery,
        expired: false,
        resolve: (change) => {
          clearTimeout(timer);
          resolve(change);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.queue.push(pending);
      if (!this.running) {
        this.running = true;
        // Let the deliveries parsed in this turn of the event loop join the first statement.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) await this.writeOrSplit(this.takeBatch());
    this.running = false;
  }

  private async writeOrSplit(deliveries: Pending[]): Promise<void> {
    const batch = deliveries.filter((delivery) => !delivery.expired);
    if (batch.length === 0) return;
    try {
      const changes = await this.write(batch);
      batch.forEach((delivery, i) => delivery.resolve(changes[i] ?? null));
    } catch (error) {
      if (batch.length === 1 || !isRefusedData(error)) {
        for (const delivery of batch) delivery.reject(error);
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await this.writeOrSplit(batch.slice(0, half));
      await this.writeOrSplit(batch.slice(half));
    }
  }

  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const ids = new Set<string>();
    const keys = new Set<string>();
    for (const delivery of this.queue) {
      if (delivery.expired) continue;
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
