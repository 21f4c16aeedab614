import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RealtimeGateway } from './realtime.gateway';
import { RecentEventsJob } from './recent-events.job';
import { RecentEventsRepository } from './recent-events.repository';

/** The Socket.IO gateway and its recent-events buffer; `DomainEvents` itself is global (EventsModule). */
@Module({
  imports: [AuthModule],
  providers: [RealtimeGateway, RecentEventsRepository, RecentEventsJob],
})
export class RealtimeModule {}
