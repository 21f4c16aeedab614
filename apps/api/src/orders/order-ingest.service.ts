import { Injectable, Logger } from '@nestjs/common';
import type { Platform } from '@mt/contracts';
import { DomainEvents } from '../realtime/domain-events';
import { TitlesService } from '../titles/titles.service';
import { DeliveryBatcher } from './delivery-batcher';
import { NormalizedOrder, NormalizedStandaloneRefund } from './normalized-order';
import { OrderChange, OrdersRepository, OrdersTransaction } from './orders.repository';

export interface DeliveryKey {
  platform: Platform;
  deliveryId: string;
  store: string;
  topic: string | null;
}

export type DeliveryOutcome = 'duplicate' | 'orphan' | OrderChange['result'];

/**
 * The one way orders get in (webhooks, pollers, imports): upsert in one transaction, then announce the
 * changes to counted totals, after commit and once (a duplicate changes nothing, so it announces nothing).
 */
@Injectable()
export class OrderIngestService {
  private readonly batcher: DeliveryBatcher;
  private readonly logger = new Logger(OrderIngestService.name);

  constructor(
    private readonly orders: OrdersRepository,
    private readonly events: DomainEvents,
    private readonly titles: TitlesService,
  ) {
    this.batcher = new DeliveryBatcher(async (deliveries) => {
      const changes = await this.orders.claimAndUpsertMany(deliveries);
      await this.nameTitles(changes);
      return changes;
    });
  }

  /** One webhook delivery; a delivery id seen before is acknowledged and ignored. */
  async ingestDelivery(key: DeliveryKey | null, order: NormalizedOrder): Promise<DeliveryOutcome> {
    if (key && order.refunds.length === 0) {
      // Most deliveries: written together with the others arriving now, in one atomic statement.
      const change = await this.batcher.submit({ deliveryId: key.deliveryId, topic: key.topic, order });
      if (!change) return 'duplicate';
      if (change.event) this.events.publish(change.event.name, change.event.payload);
      return change.result;
    }
    return this.run(async (tx) => {
      if (key) {
        const { claimed, change } = await tx.claimAndInsert(key.deliveryId, key.topic, order);
        if (!claimed) return { outcome: 'duplicate', changes: [] };
        if (change) return { outcome: change.result, changes: [change] };
      }
      const change = await tx.upsertOrder(order);
      return { outcome: change.result, changes: [change] };
    });
  }

  async ingestRefundDelivery(key: DeliveryKey | null, refund: NormalizedStandaloneRefund): Promise<DeliveryOutcome> {
    return this.run(async (tx) => {
      if (key && !(await tx.claimDelivery(key.platform, key.deliveryId, key.store, key.topic)))
        return { outcome: 'duplicate', changes: [] };
      const change = await tx.addRefunds(refund.platform, refund.store, refund.orderExternalId, [refund]);
      return change ? { outcome: change.result, changes: [change] } : { outcome: 'orphan', changes: [] };
    });
  }

  /**
   * Many orders in one transaction (an import file, a poller page). Sorted by key so that two batches
   * touching the same orders lock them in the same order and cannot deadlock. Changes in input order.
   */
  async ingestBatch(orders: NormalizedOrder[]): Promise<OrderChange[]> {
    const order = orders.map((_, i) => i).sort((a, b) => compareKeys(orders[a]!, orders[b]!));
    return this.run(async (tx) => {
      const sortedChanges = await tx.upsertOrders(order.map((i) => orders[i]!));
      const changes = new Array<OrderChange>(orders.length);
      order.forEach((input, sorted) => (changes[input] = sortedChanges[sorted]!));
      return { outcome: changes, changes: sortedChanges };
    });
  }

  private async run<T>(work: (tx: OrdersTransaction) => Promise<{ outcome: T; changes: OrderChange[] }>): Promise<T> {
    const { outcome, changes } = await this.orders.transaction(work);
    await this.nameTitles(changes);
    for (const change of changes) {
      if (change.event) this.events.publish(change.event.name, change.event.payload);
    }
    return outcome;
  }

  /**
   * Puts the catalogue titles of each order's lines into its event: one query for all the changes. The
   * orders are committed already: should the query fail, the events go out without titles rather than
   * not at all.
   */
  private async nameTitles(changes: Array<OrderChange | null>): Promise<void> {
    const announced = changes.filter((change): change is OrderChange => change?.event != null);
    if (announced.length === 0) return;
    try {
      const titles = await this.titles.orderTitles(announced.map((change) => change.orderId));
      for (const change of announced) change.event!.payload.titles = titles.get(change.orderId) ?? [];
    } catch (error) {
      this.logger.warn(`order events without titles: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function compareKeys(a: NormalizedOrder, b: NormalizedOrder): number {
  const left = `${a.platform}\u0000${a.store}\u0000${a.externalId}`;
  const right = `${b.platform}\u0000${b.store}\u0000${b.externalId}`;
  return left < right ? -1 : left > right ? 1 : 0;
}
