import { Module } from '@nestjs/common';
import { BackupModule } from '../backup/backup.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  imports: [BackupModule],
  controllers: [HealthController],
  providers: [HealthService],
  exports: [HealthService],
})
export class HealthModule {}
