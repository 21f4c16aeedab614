import { Module } from '@nestjs/common';
import { OrderRowsRepository } from './order-rows.repository';
import { RollupsJob } from './rollups.job';
import { SalesRepository } from './sales.repository';

/**
 * The read side of sales: the figures of `orders`, `refunds` and their rollups (SPEC §2 and §3) and the
 * order rows of the export. Comparison, alerts, goals and export import this module; the write side is
 * the orders module's. The rollups job keeps the rollup tables folded.
 */
@Module({
  providers: [SalesRepository, OrderRowsRepository, RollupsJob],
  exports: [SalesRepository, OrderRowsRepository],
})
export class SalesModule {}
