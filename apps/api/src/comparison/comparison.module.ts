import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { BreakdownController, ComparisonController, GrowthController } from './comparison.controller';
import { ComparisonRepository } from './comparison.repository';
import { ComparisonService } from './comparison.service';
import { RollupsJob } from './rollups.job';

/** Sales analytics of SPEC §3: comparisons, growth series, countries, platforms and the metrics grid. */
@Module({
  controllers: [ComparisonController, GrowthController, BreakdownController],
  providers: [ComparisonService, ComparisonRepository, RollupsJob, Clock],
  exports: [ComparisonService],
})
export class ComparisonModule {}
