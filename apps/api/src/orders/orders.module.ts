import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AppConfig } from '../config/app-config';
import { TitlesModule } from '../titles/titles.module';
import { OrderImportController } from './import/order-import.controller';
import { OrderImportService } from './import/order-import.service';
import { OrderIngestService } from './order-ingest.service';
import { OrdersRepository } from './orders.repository';
import { OrderPollersService } from './pollers/order-pollers.service';
import { SourcesController } from './sources/sources.controller';
import { SourcesRepository } from './sources/sources.repository';
import { SourcesService } from './sources/sources.service';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksService } from './webhooks/webhooks.service';

/** Orders in: signed webhooks, platform pollers and backfill imports, all through OrderIngestService. */
@Module({
  imports: [
    TitlesModule,
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.uploadMaxMb * 1024 * 1024, files: 20 } }),
    }),
  ],
  controllers: [WebhooksController, SourcesController, OrderImportController],
  providers: [
    OrdersRepository,
    OrderIngestService,
    OrderImportService,
    SourcesRepository,
    SourcesService,
    WebhooksService,
    OrderPollersService,
  ],
  exports: [OrdersRepository, OrderIngestService, SourcesService],
})
export class OrdersModule {}
