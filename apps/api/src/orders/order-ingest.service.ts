import { Inject, Injectable, Logger, Provider, ServiceUnavailableException } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Platform } from '@mt/contracts';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { WEBHOOK_CONNECTIONS } from '../database/connection-pools';
import { isTransient } from '../database/postgres-errors';
import { DomainEvents } from '../realtime/domain-events';
import { SalesRepository } from '../sales/sales.repository';
import { TitlesService } from '../titles/titles.service';
import { DeliveryBatcher, StoreDeadlineError } from './delivery-batcher';
import { NormalizedOrder, NormalizedStandaloneRefund } from './normalized-order';
import { orderKey } from './order-identity';
import { OrderChange, OrdersRepository, OrdersTransaction, StoredOrderRow } from './orders.repository';

/** An order named by its natural key (order-identity.ts). */
export interface OrderKey {
  platform: Platform;
  store: string;
  externalId: string;
}

export interface DeliveryKey {
  platform: Platform;
  deliveryId: string;
  store: string;
  topic: string | null;
}

/**
 * `pending_order`: a refund whose order is not stored yet, kept until the order arrives; `deleted`: an
 * order taken out of the figures; `not_stored`: a deletion of an order never stored (or deleted already).
 */
export type DeliveryOutcome = 'duplicate' | 'pending_order' | 'deleted' | 'not_stored' | OrderChange['result'];

/** The orders repository on the webhooks' reserved connections (see connection-pools.ts). */
export const WEBHOOK_ORDERS = Symbol('OrdersRepository on the webhook connections');
export const webhookOrdersProvider: Provider = {
  provide: WEBHOOK_ORDERS,
  inject: [getDataSourceToken(WEBHOOK_CONNECTIONS), AppConfig],
  useFactory: (dataSource: DataSource, config: AppConfig) => new OrdersRepository(dataSource, config),
};

/**
 * The one way orders get in (webhooks, pollers, imports): upsert in one transaction, then announce the
 * changes to counted totals, after commit and once (a duplicate changes nothing, so it announces nothing).
 *
 * Webhook deliveries are written on the webhooks' own connections and answered within the store
 * deadline: one that cannot be stored by then (the database busy or away) gets a 503, which the
 * platform retries; should its write still land, the retry is a duplicate and changes nothing.
 */
@Injectable()
export class OrderIngestService {
  private readonly batcher: DeliveryBatcher;
  private readonly logger = new Logger(OrderIngestService.name);

  constructor(
    private readonly orders: OrdersRepository,
    @Inject(WEBHOOK_ORDERS) private readonly webhookOrders: OrdersRepository,
    private readonly events: DomainEvents,
    private readonly config: AppConfig,
    // Only the titles of announced orders: the catalogue is the titles module's.
    @Inject(TitlesService) private readonly titles: Pick<TitlesService, 'orderTitles'>,
    // Only what an announced order adds to the hero: the figures are the sales module's.
    @Inject(SalesRepository) private readonly sales: Pick<SalesRepository, 'heroShares'>,
  ) {
    this.batcher = new DeliveryBatcher(async (deliveries) => {
      const changes = await this.webhookOrders.claimAndUpsertMany(deliveries);
      await this.completeEvents(changes);
      // Here, not in the request: a delivery answered 503 at its deadline whose write landed is announced too.
      for (const change of changes) if (change?.event) this.events.publish(change.event.name, change.event.payload);
      return changes;
    }, config.webhookStoreDeadlineMs);
  }

  /** One webhook delivery; a delivery id seen before is acknowledged and ignored. */
  ingestDelivery(key: DeliveryKey | null, order: NormalizedOrder): Promise<DeliveryOutcome> {
    if (key && order.refunds.length === 0) {
      // Most deliveries: written together with the others arriving now, in one atomic statement.
      return this.answered(async () => {
        const change = await this.batcher.submit({ deliveryId: key.deliveryId, topic: key.topic, order });
        return change ? change.result : 'duplicate';
      });
    }
    return this.answered(() => this.runDelivery(key, order));
  }

  private runDelivery(key: DeliveryKey | null, order: NormalizedOrder): Promise<DeliveryOutcome> {
    return this.run(this.webhookOrders, async (tx) => {
      if (key) {
        const { claimed, change } = await tx.claimAndInsert(key.deliveryId, key.topic, order);
        if (!claimed) return { outcome: 'duplicate', changes: [] };
        if (change) return { outcome: change.result, changes: [change] };
      }
      const change = await tx.upsertOrder(order);
      return { outcome: change.result, changes: [change] };
    });
  }

  ingestRefundDelivery(key: DeliveryKey | null, refund: NormalizedStandaloneRefund): Promise<DeliveryOutcome> {
    return this.answered(() =>
      this.run(this.webhookOrders, async (tx) => {
        if (key && !(await tx.claimDelivery(key.platform, key.deliveryId, key.store, key.topic)))
          return { outcome: 'duplicate', changes: [] };
        const change =
          (await tx.addRefunds(refund.platform, refund.store, refund.orderExternalId, [refund])) ??
          (await tx.holdRefund(refund));
        return change ? { outcome: change.result, changes: [change] } : { outcome: 'pending_order', changes: [] };
      }),
    );
  }

  /** A platform's deletion of an order (WooCommerce `order.deleted`): out of the figures, with an audit line. */
  deleteDelivery(key: DeliveryKey | null, order: OrderKey, by: string): Promise<DeliveryOutcome> {
    return this.answered(() =>
      this.run(this.webhookOrders, async (tx) => {
        if (key && !(await tx.claimDelivery(key.platform, key.deliveryId, key.store, key.topic)))
          return { outcome: 'duplicate', changes: [] };
        const deleted = await tx.deleteOrder(order, by, { topic: key?.topic ?? null });
        return deleted ? { outcome: 'deleted', changes: [deleted.change] } : { outcome: 'not_stored', changes: [] };
      }),
    );
  }

  /** An admin takes an order out of the figures (one that should not be there); null when there is none. */
  removeOrder(id: string, by: string): Promise<{ order: StoredOrderRow; auditId: string } | null> {
    return this.run(this.orders, async (tx) => {
      const removed = await tx.deleteOrder({ id }, by, { reason: 'removed by an admin' });
      return removed
        ? { outcome: { order: removed.order, auditId: removed.auditId }, changes: [removed.change] }
        : { outcome: null, changes: [] };
    });
  }

  /**
   * A platform's restoration of an order it had deleted (WooCommerce `order.restored`, which carries the
   * whole order): upserted like any delivery, and counted again.
   */
  restoreDelivery(key: DeliveryKey | null, order: NormalizedOrder, by: string): Promise<DeliveryOutcome> {
    return this.answered(() =>
      this.run(this.webhookOrders, async (tx) => {
        if (key && !(await tx.claimDelivery(key.platform, key.deliveryId, key.store, key.topic)))
          return { outcome: 'duplicate', changes: [] };
        const change = await tx.upsertOrder(order);
        const restored = await tx.restoreOrder(order, by, { topic: key?.topic ?? null });
        return {
          outcome: restored ? 'updated' : change.result,
          changes: [change, ...(restored ? [restored.change] : [])],
        };
      }),
    );
  }

  /** Whether a delivery id was handled before, read on the webhooks' connections (Etsy's event is fetched only once). */
  deliverySeen(platform: Platform, deliveryId: string): Promise<boolean> {
    return this.answered(() => this.webhookOrders.deliverySeen(platform, deliveryId));
  }

  /** The shop currency of a stored order, read on the webhooks' connections (a refund delivery needs it). */
  orderCurrencyForDelivery(platform: Platform, store: string, externalId: string): Promise<string | null> {
    return this.answered(() => this.webhookOrders.orderCurrency(platform, store, externalId));
  }

  /** The delivery's outcome within the store deadline, or 503 (retry) when the database cannot take it now. */
  private async answered<T>(store: () => Promise<T>): Promise<T> {
    const deadlineMs = this.config.webhookStoreDeadlineMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreDeadlineError(deadlineMs)), deadlineMs).unref();
    });
    try {
      return await Promise.race([store(), deadline]);
    } catch (error) {
      if (error instanceof StoreDeadlineError || isTransient(error))
        throw new ServiceUnavailableException(
          `the delivery could not be stored within ${deadlineMs} ms; send it again`,
        );
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Many orders in one transaction (an import file, a poller page). Sorted by key so that two batches
   * touching the same orders lock them in the same order and cannot deadlock. Changes in input order.
   */
  async ingestBatch(orders: NormalizedOrder[]): Promise<OrderChange[]> {
    const order = orders.map((_, i) => i).sort((a, b) => compareKeys(orders[a]!, orders[b]!));
    return this.run(this.orders, async (tx) => {
      const sortedChanges = await tx.upsertOrders(order.map((i) => orders[i]!));
      const changes = new Array<OrderChange>(orders.length);
      order.forEach((input, sorted) => (changes[input] = sortedChanges[sorted]!));
      return { outcome: changes, changes: sortedChanges };
    });
  }

  /**
   * A large file's orders in one transaction, written chunk by chunk as `work` builds them (`write`), so
   * that memory holds a chunk, never the file. Announced once committed: the first `MAX_ANNOUNCED`
   * changes one by one; a backfill beyond that is announced by its upload's `upload.completed`.
   */
  async ingestInChunks<T>(
    work: (tx: OrdersTransaction, write: (orders: NormalizedOrder[]) => Promise<OrderChange[]>) => Promise<T>,
  ): Promise<T> {
    return this.run(this.orders, async (tx) => {
      const announced: OrderChange[] = [];
      const write = async (orders: NormalizedOrder[]) => {
        const sorted = [...orders].sort(compareKeys);
        const changes = await tx.upsertOrders(sorted);
        for (const change of changes) if (change.event && announced.length < MAX_ANNOUNCED) announced.push(change);
        return changes;
      };
      return { outcome: await work(tx, write), changes: announced };
    });
  }

  private async run<T>(
    orders: OrdersRepository,
    work: (tx: OrdersTransaction) => Promise<{ outcome: T; changes: OrderChange[] }>,
  ): Promise<T> {
    const { outcome, changes } = await orders.transaction(async (tx) => {
      const done = await work(tx);
      if (done.changes.some((change) => change.event)) {
        const commit = await tx.commitId();
        for (const change of done.changes) change.commit = commit;
      }
      return done;
    });
    await this.completeEvents(changes);
    for (const change of changes) {
      if (change.event) this.events.publish(change.event.name, change.event.payload);
    }
    return outcome;
  }

  /**
   * Puts into each event the catalogue titles of its order's lines and, for `order.created`, what the
   * order adds to the hero (SalesRepository.heroShares): one query each for all the changes, side by side.
   * The orders are committed already: should a query fail, the events go out without rather than not at all.
   */
  private async completeEvents(changes: Array<OrderChange | null>): Promise<void> {
    const announced = changes.filter((change): change is OrderChange => change?.event != null);
    if (announced.length === 0) return;
    const created = announced.filter((change) => change.event!.name === 'order.created' && change.commit);
    await Promise.all([
      this.titles.orderTitles(announced.map((change) => change.orderId)).then(
        (titles) => {
          for (const change of announced) change.event!.payload.titles = titles.get(change.orderId) ?? [];
        },
        (error: unknown) => this.warnWithout('titles', error),
      ),
      this.sales.heroShares(created.map((change) => ({ orderId: change.orderId, commit: change.commit! }))).then(
        (shares) => {
          for (const change of created) {
            const share = shares.get(change.orderId);
            if (share) change.event!.payload.hero = share;
          }
        },
        (error: unknown) => this.warnWithout('hero shares', error),
      ),
    ]);
  }

  private warnWithout(what: string, error: unknown): void {
    this.logger.warn(`order events without ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Order events of one import announced one by one (see `ingestInChunks`). */
const MAX_ANNOUNCED = 1000;

function compareKeys(a: NormalizedOrder, b: NormalizedOrder): number {
  const left = orderKey(a);
  const right = orderKey(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
