import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { CountrySort } from '@mt/contracts';
import { ClockQuery } from '../common/clock';
import { IsCount, IsDateOrInstant } from '../common/validation';

export class RangeQuery extends ClockQuery {
  @ApiProperty({
    description: 'Start: YYYY-MM-DD (00:00 in the business zone) or an ISO instant with offset',
    example: '2026-03-01',
  })
  @IsDateOrInstant()
  from!: string;

  @ApiProperty({
    description:
      'End: YYYY-MM-DD (inclusive: to the end of that day) or an ISO instant (exclusive). A range that reaches ' +
      'into the future is cut at now, and its comparison at the same offset; one that starts after now is empty.',
    example: '2026-03-31',
  })
  @IsDateOrInstant()
  to!: string;
}

export class DaysQuery extends ClockQuery {
  @ApiPropertyOptional({ description: 'Calendar days, today so far included', minimum: 1, maximum: 731, default: 30 })
  @IsCount(1, 731)
  days: number = 30;
}

export class WeeksQuery extends ClockQuery {
  @ApiPropertyOptional({ description: 'ISO weeks, this week so far included', minimum: 1, maximum: 104, default: 12 })
  @IsCount(1, 104)
  weeks: number = 12;
}

export class MonthsQuery extends ClockQuery {
  @ApiPropertyOptional({
    description: 'Calendar months, this month so far included',
    minimum: 1,
    maximum: 36,
    default: 12,
  })
  @IsCount(1, 36)
  months: number = 12;
}

export class CountriesQuery extends DaysQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 250, default: 10 })
  @IsCount(1, 250)
  limit: number = 10;

  @ApiPropertyOptional({
    enum: ['orders', 'revenue'],
    default: 'orders',
    description: 'Ranked by this, then by the other',
  })
  @IsIn(['orders', 'revenue'])
  sort: CountrySort = 'orders';
}
