import { Module } from '@nestjs/common';
import { SalesModule } from '../sales/sales.module';
import { TitlesModule } from '../titles/titles.module';
import { CountedStatusesController } from './counted-statuses/counted-statuses.controller';
import { CountedStatusesService } from './counted-statuses/counted-statuses.service';
import { OrderImportService } from './import/order-import.service';
import { OrderIngestService, webhookOrdersProvider } from './order-ingest.service';
import { OrdersRepository } from './orders.repository';
import { OrderPollersService } from './pollers/order-pollers.service';
import { OrderRemovalController } from './removal/order-removal.controller';
import { OrderRemovalService } from './removal/order-removal.service';
import { SourcesController } from './sources/sources.controller';
import { SourcesRepository } from './sources/sources.repository';
import { SourcesService } from './sources/sources.service';
import { AppConfig } from '../config/app-config';
import { WebhookAdmission } from './webhooks/webhook-admission';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksService } from './webhooks/webhooks.service';

/**
 * Orders in: signed webhooks, platform pollers and backfill imports, all through OrderIngestService.
 * Order files come through the one intake (UploadModule), which hands them to OrderImportService.
 */
@Module({
  imports: [TitlesModule, SalesModule],
  controllers: [WebhooksController, SourcesController, CountedStatusesController, OrderRemovalController],
  providers: [
    OrdersRepository,
    webhookOrdersProvider,
    OrderIngestService,
    OrderImportService,
    SourcesRepository,
    SourcesService,
    WebhooksService,
    {
      provide: WebhookAdmission,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new WebhookAdmission({ maxInFlight: config.webhookMaxInFlight, deadlineMs: config.webhookStoreDeadlineMs }),
    },
    OrderPollersService,
    CountedStatusesService,
    OrderRemovalService,
  ],
  exports: [OrdersRepository, OrderIngestService, OrderImportService, SourcesService],
})
export class OrdersModule {}
