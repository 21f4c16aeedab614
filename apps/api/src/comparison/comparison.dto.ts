import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateBy, ValidateIf } from 'class-validator';
import { COMPARE_WITH, type CompareWith, type CountrySort } from '@mt/contracts';
import { ClockQuery } from '../common/clock';
import { IsCount, IsDateOrInstant, IsLocalDate } from '../common/validation';

const FROM = {
  description: 'Start: YYYY-MM-DD (00:00 in the business zone) or an ISO instant with offset',
  example: '2026-03-01',
};
const TO = {
  description:
    'End: YYYY-MM-DD (inclusive: to the end of that day) or an ISO instant (exclusive). A range that reaches ' +
    'into the future is cut at now, and its comparison at the same offset; one that starts after now is empty.',
  example: '2026-03-31',
};
const COMPARE = {
  enum: COMPARE_WITH,
  default: 'previous',
  description: 'previous: the equally long range just before; yoy: the same range 364 days earlier (weekdays lined up)',
};

export class RangeQuery extends ClockQuery {
  @ApiProperty(FROM)
  @IsDateOrInstant()
  from!: string;

  @ApiProperty(TO)
  @IsDateOrInstant()
  to!: string;
}

/** The page's chosen range, optional: `from` and `to` go together; `compare` picks its comparison. */
export class ChosenRangeQuery extends ClockQuery {
  @ApiPropertyOptional({ ...FROM, description: `${FROM.description}; with to` })
  @ValidateIf((query: ChosenRangeQuery) => query.from !== undefined || query.to !== undefined)
  @IsDateOrInstant()
  from?: string;

  @ApiPropertyOptional({ ...TO, description: `${TO.description} With from.` })
  @ValidateIf((query: ChosenRangeQuery) => query.from !== undefined || query.to !== undefined)
  @IsDateOrInstant()
  to?: string;

  @ApiPropertyOptional(COMPARE)
  @IsIn(COMPARE_WITH)
  compare: CompareWith = 'previous';
}

/** The last `days` (default 30), or the chosen range: one or the other. */
export class DaysQuery extends ChosenRangeQuery {
  @ApiPropertyOptional({
    description: 'Calendar days, today so far included (without from/to)',
    minimum: 1,
    maximum: 731,
    default: 30,
  })
  @IsOptional()
  @IsCount(1, 731)
  @ValidateBy({
    name: 'withoutRange',
    validator: {
      validate: (_value, args) => {
        const query = args?.object as ChosenRangeQuery | undefined;
        return query?.from === undefined && query?.to === undefined;
      },
      defaultMessage: () => 'days cannot be combined with from and to',
    },
  })
  days?: number;
}

export class HourlyQuery extends ClockQuery {
  @ApiPropertyOptional({ example: '2026-03-29', description: 'A day of the business zone; default today' })
  @IsOptional()
  @IsLocalDate()
  date?: string;

  @ApiPropertyOptional({
    ...COMPARE,
    description: 'previous: the day before; yoy: the same weekday 364 days earlier',
  })
  @IsIn(COMPARE_WITH)
  compare: CompareWith = 'previous';
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
