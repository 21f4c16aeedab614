import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { FxController } from './fx.controller';
import { FxJob } from './fx.job';
import { FxRepository } from './fx.repository';
import { FxService } from './fx.service';

/** Exchange rates: the ECB fetch, rate files and the API in; conversion of what waited, through the orders' write side. */
@Module({
  imports: [OrdersModule],
  controllers: [FxController],
  providers: [FxService, FxRepository, FxJob],
  exports: [FxService],
})
export class FxModule {}
