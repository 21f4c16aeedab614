import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '../common/clock';
import { SalesModule } from '../sales/sales.module';
import { SpotifyModule } from '../spotify/spotify.module';
import { AlertMailer } from './alert-mailer';
import { AlertRuleEntity } from './alert-rule.entity';
import { AlertsController } from './alerts.controller';
import { AlertsJob } from './alerts.job';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';

/**
 * Milestone and silence alerts and the daily digest, by e-mail and in the dashboard. Order figures come
 * from the sales read side and listening minutes from the Spotify module, so an alert says exactly what
 * the dashboard shows.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AlertRuleEntity]), SalesModule, SpotifyModule],
  controllers: [AlertsController],
  providers: [AlertsService, AlertsRepository, AlertMailer, AlertsJob, Clock],
  exports: [AlertsService],
})
export class AlertsModule {}
