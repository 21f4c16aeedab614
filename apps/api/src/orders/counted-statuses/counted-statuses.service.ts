import { BadRequestException, Injectable } from '@nestjs/common';
import {
  PLATFORMS,
  type CountedStatusesResponse,
  type CountedStatusesUpdate,
  type CountedStatusesUpdated,
} from '@mt/contracts';
import { DomainEvents } from '../../realtime/domain-events';
import { OrdersRepository } from '../orders.repository';
import { PLATFORM_STATUSES, WOO_CUSTOM_STATUS } from './counted-statuses';

/** Which statuses of each platform count (SPEC §2): read by everyone, changed by admins. */
@Injectable()
export class CountedStatusesService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly events: DomainEvents,
  ) {}

  async read(): Promise<CountedStatusesResponse> {
    const uncounted = await this.orders.uncountedStatuses();
    return {
      platforms: PLATFORMS.map((platform) => {
        const notCounted = uncounted.filter((row) => row.platform === platform).map((row) => row.status);
        return {
          platform,
          counted: PLATFORM_STATUSES[platform].filter((status) => !notCounted.includes(status)),
          notCounted,
        };
      }),
    };
  }

  /**
   * Stored orders follow the change at once, in the same transaction (and the rollups with them); the
   * dashboards hear `metrics.changed` when any order started or stopped counting.
   */
  async update(update: CountedStatusesUpdate): Promise<CountedStatusesUpdated> {
    const known = PLATFORM_STATUSES[update.platform];
    const statuses = [...new Set(update.notCounted.map((status) => status.trim().toLowerCase()))];
    const unknown = statuses.find(
      (status) => !known.includes(status) && !(update.platform === 'woocommerce' && WOO_CUSTOM_STATUS.test(status)),
    );
    if (unknown !== undefined)
      throw new BadRequestException(
        `notCounted: "${unknown}" is not a ${update.platform} status (known: ${known.join(', ')})`,
      );
    const ordersChanged = await this.orders.setUncountedStatuses(update.platform, statuses.sort());
    if (ordersChanged > 0)
      this.events.publish('metrics.changed', { reason: 'counted statuses', at: new Date().toISOString() });
    return { ...(await this.read()), ordersChanged };
  }
}
