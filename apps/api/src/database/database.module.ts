import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { AdvisoryLocks } from './advisory-lock';
import { EXPORT_CONNECTIONS, PoolName, poolOptions, GENERIC_PLAN_READS, WEBHOOK_CONNECTIONS } from './connection-pools';
import { ScheduledJobs } from './scheduled-jobs';

/** A TypeORM data source on one of our pools (see connection-pools.ts). */
function dataSource(pool: PoolName) {
  return TypeOrmModule.forRootAsync({
    ...(pool === 'main' ? {} : { name: pool }),
    inject: [AppConfig],
    useFactory: (config: AppConfig) => {
      if (!config.databaseUrl) throw new Error('the database URL must be resolved before the app starts');
      return { ...poolOptions(config.databaseUrl, pool, config), retryAttempts: 3, retryDelay: 1000 };
    },
  });
}

/**
 * TypeORM on the URL resolved at start (DATABASE_URL or the embedded server), as four pools: the
 * default one, the webhooks' reserved one, the exports' one and the reads on generic plans. Migrations
 * run before the app is created (see `prepareDatabase`), never through `synchronize`. Global so that
 * every scheduled job runs through `ScheduledJobs` (its advisory lock from `AdvisoryLocks`).
 */
@Global()
@Module({
  imports: [
    dataSource('main'),
    dataSource(WEBHOOK_CONNECTIONS),
    dataSource(EXPORT_CONNECTIONS),
    dataSource(GENERIC_PLAN_READS),
  ],
  providers: [AdvisoryLocks, ScheduledJobs],
  exports: [AdvisoryLocks, ScheduledJobs],
})
export class DatabaseModule {}
