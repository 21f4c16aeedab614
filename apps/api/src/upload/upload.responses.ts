import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  UPLOAD_FIELDS,
  UPLOAD_REPORT_TYPES,
  type UploadAliasesResponse,
  type UploadField,
  type UploadFileResult,
  type UploadHeaderAlias,
  type UploadHistoryEntry,
  type UploadHistoryResponse,
  type UploadReportType,
  type UploadResponse,
  type UploadRowError,
} from '@mt/contracts';
import { DATE_TIME, literals } from '../common/api-schema';

/** The OpenAPI shapes of `libs/contracts/src/upload.ts` (see common/api-schema.ts). */

const REPORT_TYPE = { enum: UPLOAD_REPORT_TYPES, nullable: true, description: 'null when not recognised' };

export class UploadRowErrorSchema implements UploadRowError {
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'record number in a CSV, row number in an XLSX sheet; null for the file as a whole',
  })
  row!: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'the header as written in the file' })
  column!: string | null;

  @ApiProperty()
  message!: string;

  @ApiPropertyOptional({ description: 'XLSX only: the sheet of that row' })
  sheet?: string;
}

type FileStatus = UploadFileResult['status'];

export class UploadFileResultSchema implements UploadFileResult {
  @ApiProperty({ example: 'spotify-weekly-2026-03.csv' })
  name!: string;

  @ApiProperty(REPORT_TYPE)
  type!: UploadReportType | null;

  @ApiProperty({ enum: literals<FileStatus>({ imported: true, rejected: true }) })
  status!: FileStatus;

  @ApiProperty({ type: 'integer', description: 'data rows read' })
  rows!: number;

  @ApiProperty({ type: 'integer' })
  inserted!: number;

  @ApiProperty({ type: 'integer', description: 'existing rows whose values changed' })
  updated!: number;

  @ApiProperty({ type: [UploadRowErrorSchema] })
  errors!: UploadRowError[];

  @ApiProperty({ description: 'the same content was imported before; nothing changed' })
  duplicate!: boolean;

  @ApiPropertyOptional({ description: 'for duplicates: "already imported …"' })
  message?: string;

  @ApiProperty({ type: [String], description: 'the sheets read, for XLSX; empty for CSV' })
  sheets!: string[];
}

export class UploadResponseSchema implements UploadResponse {
  @ApiProperty({ type: [UploadFileResultSchema], description: 'one result per file' })
  files!: UploadFileResult[];
}

type HistoryStatus = UploadHistoryEntry['status'];

export class UploadHistoryEntrySchema implements UploadHistoryEntry {
  @ApiProperty({ type: 'integer' })
  id!: number;

  @ApiProperty(DATE_TIME)
  uploadedAt!: string;

  @ApiProperty({ type: 'integer', nullable: true })
  userId!: number | null;

  @ApiProperty()
  fileName!: string;

  @ApiProperty({ description: 'SHA-256 of the content, hex' })
  fileHash!: string;

  @ApiProperty({ type: 'integer' })
  sizeBytes!: number;

  @ApiProperty(REPORT_TYPE)
  type!: UploadReportType | null;

  @ApiProperty({ enum: literals<HistoryStatus>({ imported: true, rejected: true, duplicate: true }) })
  status!: HistoryStatus;

  @ApiProperty({ type: 'integer' })
  rows!: number;

  @ApiProperty({ type: 'integer' })
  inserted!: number;

  @ApiProperty({ type: 'integer' })
  updated!: number;

  @ApiProperty({ type: 'integer' })
  errorCount!: number;
}

export class UploadHistoryResponseSchema implements UploadHistoryResponse {
  @ApiProperty({ type: [UploadHistoryEntrySchema], description: 'newest first' })
  uploads!: UploadHistoryEntry[];
}

export class UploadHeaderAliasSchema implements UploadHeaderAlias {
  @ApiProperty({ example: 'Streamed minutes' })
  alias!: string;

  @ApiProperty({ enum: UPLOAD_FIELDS })
  field!: UploadField;

  @ApiProperty({ description: 'multiplier to our unit, e.g. 60 for hours → minutes', example: 1 })
  factor!: number;

  @ApiProperty({ description: 'built in (not removable); admin-defined otherwise' })
  builtin!: boolean;
}

export class UploadAliasesResponseSchema implements UploadAliasesResponse {
  @ApiProperty({ type: [UploadHeaderAliasSchema] })
  aliases!: UploadHeaderAlias[];
}
