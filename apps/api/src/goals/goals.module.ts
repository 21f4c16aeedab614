import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ComparisonRepository } from '../comparison/comparison.repository';
import { GoalsController } from './goals.controller';
import { GoalsRepository } from './goals.repository';
import { GoalsService } from './goals.service';

/** The monthly revenue goal; month revenue comes from the analytics repository, as the dashboard shows it. */
@Module({
  controllers: [GoalsController],
  providers: [GoalsService, GoalsRepository, ComparisonRepository, Clock],
})
export class GoalsModule {}
