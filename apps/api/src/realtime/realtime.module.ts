import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ComparisonModule } from '../comparison/comparison.module';
import { MetricsPush } from './metrics-push';
import { RealtimeGateway } from './realtime.gateway';
import { RecentEventsJob } from './recent-events.job';
import { RecentEventsRepository } from './recent-events.repository';

/**
 * The Socket.IO gateway, its recent-events buffer and the metrics push; `DomainEvents` itself is
 * global (EventsModule).
 */
@Module({
  imports: [AuthModule, ComparisonModule],
  providers: [RealtimeGateway, RecentEventsRepository, RecentEventsJob, MetricsPush],
})
export class RealtimeModule {}
