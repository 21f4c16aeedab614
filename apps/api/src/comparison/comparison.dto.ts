import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import type { CountrySort } from '@mt/contracts';
import { ClockQuery } from '../common/clock';

/** A date in the business zone or an ISO instant with offset; checked for real dates in the service. */
const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export class RangeQuery extends ClockQuery {
  @ApiProperty({
    description: 'Start: YYYY-MM-DD (00:00 in the business zone) or an ISO instant with offset',
    example: '2026-03-01',
  })
  @IsString()
  @Matches(DATE_OR_INSTANT, { message: 'from must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset' })
  from!: string;

  @ApiProperty({
    description: 'End: YYYY-MM-DD (inclusive: to the end of that day) or an ISO instant (exclusive)',
    example: '2026-03-31',
  })
  @IsString()
  @Matches(DATE_OR_INSTANT, { message: 'to must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset' })
  to!: string;
}

export class DaysQuery extends ClockQuery {
  @ApiPropertyOptional({ description: 'Calendar days, today so far included', minimum: 1, maximum: 731, default: 30 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(731)
  days: number = 30;
}

export class WeeksQuery extends ClockQuery {
  @ApiPropertyOptional({ description: 'ISO weeks, this week so far included', minimum: 1, maximum: 104, default: 12 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(104)
  weeks: number = 12;
}

export class MonthsQuery extends ClockQuery {
  @ApiPropertyOptional({
    description: 'Calendar months, this month so far included',
    minimum: 1,
    maximum: 36,
    default: 12,
  })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(36)
  months: number = 12;
}

export class CountriesQuery extends DaysQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 250, default: 10 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(250)
  limit: number = 10;

  @ApiPropertyOptional({
    enum: ['orders', 'revenue'],
    default: 'orders',
    description: 'Ranked by this, then by the other',
  })
  @IsIn(['orders', 'revenue'])
  sort: CountrySort = 'orders';
}
