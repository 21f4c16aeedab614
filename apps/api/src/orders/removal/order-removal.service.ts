import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { OrderRemovedResponse, Platform, StoredOrderSummary, StoredOrdersResponse } from '@mt/contracts';
import type { Principal } from '../../auth/principal';
import { OrderIngestService } from '../order-ingest.service';
import { OrdersRepository, StoredOrderRow } from '../orders.repository';

/**
 * An admin removes an order that should not be there (a duplicate from before SPEC §2's identity, a
 * test): it leaves the figures and the rollups, stays stored with an `order_audit` line saying who and
 * when, and a later delivery of the same order does not bring it back.
 */
@Injectable()
export class OrderRemovalService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly ingest: OrderIngestService,
  ) {}

  async find(platform: Platform, ref: string): Promise<StoredOrdersResponse> {
    const orders = await this.orders.findOrders(platform, ref.trim().replace(/^#/, ''));
    return { orders: orders.map(mapStoredOrder) };
  }

  async remove(id: string, user: Principal | undefined): Promise<OrderRemovedResponse> {
    if (!/^\d{1,18}$/.test(id)) throw new BadRequestException(`id: "${id}" is not an order id (a number)`);
    const by = user ? `${user.email} (user ${user.id})` : 'unknown';
    const removed = await this.ingest.removeOrder(id, by);
    if (!removed) throw new NotFoundException(`order ${id} is not in the figures: unknown, or removed already`);
    return { order: mapStoredOrder(removed.order), auditId: removed.auditId };
  }
}

export function mapStoredOrder(row: StoredOrderRow): StoredOrderSummary {
  return {
    id: String(row.id),
    platform: row.platform,
    store: row.store,
    externalId: row.external_id,
    orderNumber: row.order_number,
    createdAt: new Date(row.created_at).toISOString(),
    total: String(row.total),
    currency: row.currency.trim(),
    counted: row.counted,
    deletedAt: row.deleted_at ? new Date(row.deleted_at).toISOString() : null,
  };
}
