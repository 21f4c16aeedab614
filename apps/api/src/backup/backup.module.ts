import { Module } from '@nestjs/common';
import { BackupJob } from './backup.job';
import { BackupService } from './backup.service';

@Module({ providers: [BackupService, BackupJob], exports: [BackupService] })
export class BackupModule {}
