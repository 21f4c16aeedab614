import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { EventsModule } from './realtime/events.module';

/** The built dashboard, served by the API in production (`npm run build` puts it here). */
export const DASHBOARD_DIST = join(process.cwd(), 'dist', 'apps', 'dashboard', 'browser');

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        ScheduleModule.forRoot(),
        EventsModule,
        HealthModule,
        // Feature modules: one line each.
        ...(existsSync(DASHBOARD_DIST)
          ? [ServeStaticModule.forRoot({ rootPath: DASHBOARD_DIST, exclude: ['/api/{*path}', '/ws/{*path}'] })]
          : []),
      ],
    };
  }
}
