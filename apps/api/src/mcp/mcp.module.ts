import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { Clock } from '../common/clock';
import { ComparisonModule } from '../comparison/comparison.module';
import { FxModule } from '../fx/fx.module';
import { HealthModule } from '../health/health.module';
import { OrdersModule } from '../orders/orders.module';
import { SpotifyModule } from '../spotify/spotify.module';
import { TitlesModule } from '../titles/titles.module';
import { UploadModule } from '../upload/upload.module';
import { McpController } from './mcp.controller';
import { McpServices } from './mcp-tools';
import { McpService } from './mcp.service';

/** SPEC §3 "MCP": the figures of the REST API as Model Context Protocol tools, through the same services. */
@Module({
  imports: [
    ComparisonModule,
    SpotifyModule,
    AlertsModule,
    OrdersModule,
    UploadModule,
    FxModule,
    HealthModule,
    TitlesModule,
  ],
  controllers: [McpController],
  providers: [McpService, McpServices, Clock],
})
export class McpModule {}
