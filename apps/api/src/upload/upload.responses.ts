import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IMPORT_KINDS,
  PLATFORMS,
  UPLOAD_FIELDS,
  UPLOAD_FILE_TYPES,
  type ImportHistoryEntry,
  type ImportHistoryResponse,
  type ImportKind,
  type Platform,
  type UploadAliasesResponse,
  type UploadField,
  type UploadFileResult,
  type UploadHeaderAlias,
  type UploadHistoryEntry,
  type UploadHistoryResponse,
  type UploadFileType,
  type UploadResponse,
  type UploadRowError,
} from '@mt/contracts';
import { DATE_TIME, literals } from '../common/api-schema';

/** The OpenAPI shapes of `libs/contracts/src/upload.ts` (see common/api-schema.ts). */

const FILE_TYPE = {
  enum: UPLOAD_FILE_TYPES,
  nullable: true,
  description: 'Spotify report or rate file type; null for order files and files not recognised',
};
const KIND = { enum: IMPORT_KINDS, nullable: true, description: 'null when the file was not recognised' };
const PLATFORM = { enum: PLATFORMS, nullable: true, description: 'order files: the platform they come from' };

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
  @ApiProperty({ example: 'orders_export_1.csv' })
  name!: string;

  @ApiProperty(KIND)
  kind!: ImportKind | null;

  @ApiProperty(FILE_TYPE)
  type!: UploadFileType | null;

  @ApiProperty(PLATFORM)
  platform!: Platform | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'what the file was recognised as',
    example: 'Shopify orders export, 50 orders',
  })
  recognised!: string | null;

  @ApiProperty({ enum: literals<FileStatus>({ imported: true, rejected: true }) })
  status!: FileStatus;

  @ApiProperty({ type: 'integer', description: 'data rows read' })
  rows!: number;

  @ApiProperty({ type: 'integer' })
  inserted!: number;

  @ApiProperty({ type: 'integer', description: 'existing rows whose values changed' })
  updated!: number;

  @ApiProperty({ type: 'integer', description: 'order files: orders stored exactly so already' })
  skipped!: number;

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

  @ApiProperty(FILE_TYPE)
  type!: UploadFileType | null;

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

export class ImportHistoryEntrySchema implements ImportHistoryEntry {
  @ApiProperty({ type: 'integer' })
  id!: number;

  @ApiProperty({ example: 'orders_export_1.csv' })
  file!: string;

  @ApiProperty(KIND)
  kind!: ImportKind | null;

  @ApiProperty(PLATFORM)
  platform!: Platform | null;

  @ApiProperty(FILE_TYPE)
  reportType!: UploadFileType | null;

  @ApiProperty({ type: String, nullable: true, example: 'Shopify orders export, 50 orders' })
  recognised!: string | null;

  @ApiProperty({ type: 'integer' })
  rows!: number;

  @ApiProperty({ type: 'integer' })
  inserted!: number;

  @ApiProperty({ type: 'integer' })
  updated!: number;

  @ApiProperty({ type: 'integer' })
  skipped!: number;

  @ApiProperty({ enum: literals<HistoryStatus>({ imported: true, rejected: true, duplicate: true }) })
  status!: HistoryStatus;

  @ApiProperty({ type: 'integer' })
  errorCount!: number;

  @ApiProperty(DATE_TIME)
  at!: string;

  @ApiProperty({ type: String, nullable: true, description: 'e-mail of who uploaded it' })
  by!: string | null;
}

export class ImportHistoryResponseSchema implements ImportHistoryResponse {
  @ApiProperty({ type: [ImportHistoryEntrySchema], description: 'newest first' })
  imports!: ImportHistoryEntry[];
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
