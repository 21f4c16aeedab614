import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FxRateInput, FxRatesRequest } from '@mt/contracts';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsISO8601, IsOptional, Matches } from 'class-validator';

export class FxRatesQueryDto {
  @ApiPropertyOptional({ example: 'ZAR', description: 'ISO 4217 code' })
  @IsOptional()
  @Matches(/^[A-Za-z]{3}$/, { message: 'currency must be a 3-letter code such as ZAR' })
  currency?: string;

  @ApiPropertyOptional({ example: '2025-01-01', description: 'First day, inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be a date like 2025-01-01' })
  from?: string;

  @ApiPropertyOptional({ example: '2025-12-31', description: 'Last day, inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be a date like 2025-12-31' })
  to?: string;
}

/** One row as the explorer and the MCP tool describe it; FxService checks it (see below). */
export class FxRateInputSchema implements FxRateInput {
  @ApiProperty({ example: '2025-06-27', description: 'the day, YYYY-MM-DD' })
  date!: string;

  @ApiProperty({ example: 'BDT', description: 'ISO 4217 code' })
  currency!: string;

  @ApiProperty({
    example: '0.0081967',
    description: 'units of the base currency for 1 unit; a decimal string or number > 0',
  })
  rate!: string;
}

/** The rows are checked one by one by FxService, so that an error names its row and field. */
export class FxRatesDto implements FxRatesRequest {
  @ApiProperty({
    type: [FxRateInputSchema],
    description: '1 unit of `currency` = `rate` units of the base currency on `date`',
    example: [{ date: '2025-06-27', currency: 'BDT', rate: '0.0081967' }],
  })
  @IsArray({ message: 'rates must be a list of { date, currency, rate }' })
  @ArrayMinSize(1, { message: 'rates must have at least one row' })
  @ArrayMaxSize(10_000, { message: 'rates can have at most 10,000 rows per request' })
  rates!: FxRateInput[];
}
