import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { SalesModule } from '../sales/sales.module';
import { GoalsController } from './goals.controller';
import { GoalsRepository } from './goals.repository';
import { GoalsService } from './goals.service';

/** The monthly revenue goal; month revenue comes from the sales read side, as the dashboard shows it. */
@Module({
  imports: [SalesModule],
  controllers: [GoalsController],
  providers: [GoalsService, GoalsRepository, Clock],
})
export class GoalsModule {}
