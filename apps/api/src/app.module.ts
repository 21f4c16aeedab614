import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AlertsModule } from './alerts/alerts.module';
import { AuthModule } from './auth/auth.module';
import { ComparisonModule } from './comparison/comparison.module';
import { FirstScreenModule } from './first-screen/first-screen.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dashboardStaticOptions } from './common/web-delivery';
import { ExportModule } from './export/export.module';
import { FxModule } from './fx/fx.module';
import { GoalsModule } from './goals/goals.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { McpModule } from './mcp/mcp.module';
import { OrdersModule } from './orders/orders.module';
import { PushModule } from './push/push.module';
import { EventsModule } from './realtime/events.module';
import { RealtimeModule } from './realtime/realtime.module';
import { SpotifyModule } from './spotify/spotify.module';
import { TitlesModule } from './titles/titles.module';
import { UploadModule } from './upload/upload.module';

/** The built dashboard, served by the API in production (`npm run build` puts it here). */
export const DASHBOARD_DIST = join(process.cwd(), 'dist', 'apps', 'dashboard', 'browser');

@Module({})
export class AppModule {
  /** `dashboardDir`: where the built dashboard is (tests serve one of their own). */
  static forRoot(config: AppConfig, dashboardDir = DASHBOARD_DIST): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        DatabaseModule,
        ScheduleModule.forRoot(),
        EventsModule,
        HealthModule,
        // Feature modules: one line each.
        AuthModule,
        RealtimeModule,
        UploadModule,
        SpotifyModule,
        OrdersModule,
        FxModule,
        ComparisonModule,
        FirstScreenModule,
        AlertsModule,
        GoalsModule,
        TitlesModule,
        ExportModule,
        McpModule,
        PushModule,
        ...(existsSync(dashboardDir)
          ? [
              ServeStaticModule.forRoot({
                rootPath: dashboardDir,
                exclude: ['/api/{*path}', '/ws/{*path}'],
                serveStaticOptions: dashboardStaticOptions,
              }),
            ]
          : []),
      ],
    };
  }
}
