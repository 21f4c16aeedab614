import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { BreakdownController, ComparisonController, GrowthController } from './comparison.controller';
import { SalesModule } from '../sales/sales.module';
import { ComparisonService } from './comparison.service';

/** Sales analytics of SPEC §3: comparisons, growth series, countries, platforms and the metrics grid. */
@Module({
  imports: [SalesModule],
  controllers: [ComparisonController, GrowthController, BreakdownController],
  providers: [ComparisonService, Clock],
  exports: [ComparisonService],
})
export class ComparisonModule {}
