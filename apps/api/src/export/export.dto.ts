import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsDateOrInstant } from '../common/validation';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export class ExportQuery {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv' })
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv or xlsx' })
  format: ExportFormat = 'csv';

  @ApiProperty({
    description: 'First day (YYYY-MM-DD, business zone) or an ISO instant with offset',
    example: '2026-11-01',
  })
  @IsDateOrInstant()
  from!: string;

  @ApiProperty({
    description: 'Last day, inclusive (YYYY-MM-DD), or an ISO instant (exclusive)',
    example: '2026-11-30',
  })
  @IsDateOrInstant()
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
