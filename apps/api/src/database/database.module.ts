import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { AdvisoryLocks } from './advisory-lock';
import { dataSourceOptions } from './data-source-options';
import { ScheduledJobs } from './scheduled-jobs';

/**
 * TypeORM on the URL resolved at start (DATABASE_URL or the embedded server). Migrations run before the
 * app is created (see `prepareDatabase`), never through `synchronize`. Global so that every scheduled
 * job runs through `ScheduledJobs` (its advisory lock from `AdvisoryLocks`).
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        if (!config.databaseUrl) throw new Error('the database URL must be resolved before the app starts');
        return { ...dataSourceOptions(config.databaseUrl), retryAttempts: 3, retryDelay: 1000 };
      },
    }),
  ],
  providers: [AdvisoryLocks, ScheduledJobs],
  exports: [AdvisoryLocks, ScheduledJobs],
})
export class DatabaseModule {}
