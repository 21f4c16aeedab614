import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UPLOAD_FIELDS, UPLOAD_FILE_TYPES, UploadField, UploadFileType } from '@mt/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsNumber, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { IsCount } from '../common/validation';

export class UploadBodyDto {
  @ApiPropertyOptional({
    enum: UPLOAD_FILE_TYPES,
    description: 'Skip detection and read every file as this report type',
  })
  @IsOptional()
  @IsIn(UPLOAD_FILE_TYPES)
  type?: UploadFileType;

  @ApiPropertyOptional({
    description:
      'The store order exports belong to (Shopify domain, WooCommerce site URL); by default the one store of that platform',
    example: 'mt-ink.myshopify.com',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  store?: string;
}

export class ImportHistoryQueryDto {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @IsCount(1, 500)
  limit = 50;
}

export class UploadHistoryQueryDto {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @IsCount(1, 500)
  limit = 50;
}

export class UploadAliasDto {
  @ApiProperty({ example: 'Streamed minutes' })
  @IsString()
  @Length(1, 100)
  alias!: string;

  @ApiProperty({ enum: UPLOAD_FIELDS })
  @IsIn(UPLOAD_FIELDS)
  field!: UploadField;

  @ApiPropertyOptional({ default: 1, description: 'Multiplier to our unit, e.g. 60 for hours → minutes' })
  @IsOptional()
  @IsNumber()
  @Min(0.000001)
  @Max(1000000)
  factor?: number;
}

export class UploadAliasesDto {
  @ApiProperty({ type: [UploadAliasDto] })
  @ValidateNested({ each: true })
  @ArrayMaxSize(500)
  @Type(() => UploadAliasDto)
  aliases!: UploadAliasDto[];
}
