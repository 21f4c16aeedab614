import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '../common/clock';
import { ComparisonRepository } from '../comparison/comparison.repository';
import { AlertMailer } from './alert-mailer';
import { AlertRuleEntity } from './alert-rule.entity';
import { AlertsController } from './alerts.controller';
import { AlertsJob } from './alerts.job';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';

/**
 * Milestone and silence alerts and the daily digest, by e-mail and in the dashboard. Day and week figures
 * come from the analytics repository, so an alert says exactly what the dashboard shows.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AlertRuleEntity])],
  controllers: [AlertsController],
  providers: [AlertsService, AlertsRepository, AlertMailer, AlertsJob, ComparisonRepository, Clock],
  exports: [AlertsService],
})
export class AlertsModule {}
