import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export class ExportQuery {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv' })
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv or xlsx' })
  format: ExportFormat = 'csv';

  @ApiProperty({
    description: 'First day (YYYY-MM-DD, business zone) or an ISO instant with offset',
    example: '2026-11-01',
  })
  @Matches(DATE_OR_INSTANT, { message: 'from must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset' })
  from!: string;

  @ApiProperty({
    description: 'Last day, inclusive (YYYY-MM-DD), or an ISO instant (exclusive)',
    example: '2026-11-30',
  })
  @Matches(DATE_OR_INSTANT, { message: 'to must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset' })
  to!: string;
}

/** The file name's suffix picks the format in the suffix form (`/api/export/orders.csv`, SPEC §3). */
export class ExportFileParams {
  @ApiProperty({ enum: EXPORT_FORMATS })
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv or xlsx' })
  format!: ExportFormat;
}

/** The range of the suffix form; a `format` query parameter beside the suffix is refused, not guessed at. */
export class ExportRangeQuery extends OmitType(ExportQuery, ['format'] as const) {}
