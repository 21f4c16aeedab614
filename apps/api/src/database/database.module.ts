import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { AdvisoryLocks } from './advisory-lock';
import { dataSourceOptions } from './data-source-options';

/**
 * TypeORM on the URL resolved at start (DATABASE_URL or the embedded server). Migrations run before the
 * app is created (see `prepareDatabase`), never through `synchronize`. Global so that every scheduled
 * job can take its advisory lock through `AdvisoryLocks`.
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
  providers: [AdvisoryLocks],
  exports: [AdvisoryLocks],
})
export class DatabaseModule {}
