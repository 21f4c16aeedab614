import { ApiProperty } from '@nestjs/swagger';
import {
  PLATFORMS,
  type CountedStatusesResponse,
  type CountedStatusesUpdated,
  type OrderRemovedResponse,
  type PlatformCountedStatuses,
  type StoredOrderSummary,
  type StoredOrdersResponse,
  type ImportRowError,
  type OrderImportFileReport,
  type OrderImportResponse,
  type Platform,
  type SourceKind,
  type SourcesResponse,
  type SourceStatus,
  type WebhookAck,
} from '@mt/contracts';
import { DATE_TIME, literals } from '../common/api-schema';

/** The OpenAPI shapes of `libs/contracts/src/ingestion.ts` (see common/api-schema.ts). */

export class WebhookAckSchema implements WebhookAck {
  @ApiProperty({ enum: [true] })
  ok!: true;

  @ApiProperty({
    description:
      'inserted, updated, unchanged, stale, duplicate, pending_order (a refund kept until its order arrives), ' +
      'deleted, not_stored, ignored or ping',
    example: 'inserted',
  })
  outcome!: string;
}

export class ImportRowErrorSchema implements ImportRowError {
  @ApiProperty({ type: 'integer', description: '1-based line, the header being 1; 0 for the file as a whole' })
  row!: number;

  @ApiProperty({ type: String, nullable: true, description: 'the header as written in the file' })
  column!: string | null;

  @ApiProperty()
  message!: string;
}

export class OrderImportFileReportSchema implements OrderImportFileReport {
  @ApiProperty({ example: 'orders_export.csv' })
  file!: string;

  @ApiProperty({ enum: PLATFORMS, nullable: true, description: 'null when the file was not recognised' })
  platform!: Platform | null;

  @ApiProperty({ type: 'integer', description: 'data rows read' })
  rows!: number;

  @ApiProperty({ type: 'integer' })
  inserted!: number;

  @ApiProperty({ type: 'integer', description: 'orders changed, new refunds included' })
  updated!: number;

  @ApiProperty({ type: 'integer', description: 'orders left as they were' })
  skipped!: number;

  @ApiProperty({ type: [ImportRowErrorSchema], description: 'a file with errors writes nothing' })
  errors!: ImportRowError[];
}

export class OrderImportResponseSchema implements OrderImportResponse {
  @ApiProperty({ type: [OrderImportFileReportSchema], description: 'one report per file' })
  files!: OrderImportFileReport[];
}

export class SourceStatusSchema implements SourceStatus {
  @ApiProperty({ example: 'shopify-webhooks' })
  name!: string;

  @ApiProperty({ enum: PLATFORMS })
  platform!: Platform;

  @ApiProperty({ enum: literals<SourceKind>({ webhook: true, poller: true, import: true }) })
  kind!: SourceKind;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  lastAttemptAt!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  lastSuccessAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  lastErrorAt!: string | null;
}

export class SourcesResponseSchema implements SourcesResponse {
  @ApiProperty({ type: [SourceStatusSchema] })
  sources!: SourceStatus[];
}

export class PlatformCountedStatusesSchema implements PlatformCountedStatuses {
  @ApiProperty({ enum: PLATFORMS })
  platform!: Platform;

  @ApiProperty({ type: [String], example: ['processing', 'on-hold', 'completed', 'refunded'] })
  counted!: string[];

  @ApiProperty({ type: [String], example: ['cancelled', 'failed', 'pending', 'trash'] })
  notCounted!: string[];
}

export class CountedStatusesResponseSchema implements CountedStatusesResponse {
  @ApiProperty({ type: [PlatformCountedStatusesSchema], description: 'the five platforms' })
  platforms!: PlatformCountedStatuses[];
}

export class CountedStatusesUpdatedSchema extends CountedStatusesResponseSchema implements CountedStatusesUpdated {
  @ApiProperty({ type: 'integer', description: 'stored orders that started or stopped counting' })
  ordersChanged!: number;
}

export class StoredOrderSummarySchema implements StoredOrderSummary {
  @ApiProperty({ example: '4711' })
  id!: string;

  @ApiProperty({ enum: PLATFORMS })
  platform!: Platform;

  @ApiProperty({
    example: 'harbour-quill.myshopify.com',
    description: 'information; part of the key only for WooCommerce',
  })
  store!: string;

  @ApiProperty({ example: '6231859937601' })
  externalId!: string;

  @ApiProperty({ type: String, nullable: true, example: '#1047' })
  orderNumber!: string | null;

  @ApiProperty(DATE_TIME)
  createdAt!: string;

  @ApiProperty({ example: '86.00', description: 'decimal string in currency' })
  total!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty()
  counted!: boolean;

  @ApiProperty({ ...DATE_TIME, nullable: true, description: 'when it was removed from the figures' })
  deletedAt!: string | null;
}

export class StoredOrdersResponseSchema implements StoredOrdersResponse {
  @ApiProperty({ type: [StoredOrderSummarySchema] })
  orders!: StoredOrderSummary[];
}

export class OrderRemovedResponseSchema implements OrderRemovedResponse {
  @ApiProperty({ type: StoredOrderSummarySchema })
  order!: StoredOrderSummary;

  @ApiProperty({ example: '12', description: 'the order_audit line that records who removed it and when' })
  auditId!: string;
}
