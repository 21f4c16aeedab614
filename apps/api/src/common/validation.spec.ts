import { plainToInstance } from 'class-transformer';
import { IsOptional, validate } from 'class-validator';
import { IdParamDto, IsCount, IsDateOrInstant, IsInstant, IsLocalDate } from './validation';

class CountQuery {
  @IsCount(1, 731)
  days: number = 30;
}

class InstantQuery {
  @IsOptional()
  @IsInstant()
  now?: string;
}

class DayQuery {
  @IsLocalDate()
  date!: string;
}

class RangeQuery {
  @IsDateOrInstant()
  from!: string;
}

/** What the global ValidationPipe does with a query: transform, then validate. */
async function check<T extends object>(type: new () => T, plain: object): Promise<{ value: T; messages: string[] }> {
  const value = plainToInstance(type, plain);
  const errors = await validate(value, { whitelist: true, forbidNonWhitelisted: true });
  return { value, messages: errors.flatMap((e) => Object.values(e.constraints ?? {})) };
}

describe('IsCount: a plain decimal integer in range', () => {
  it.each([
    ['30', 30],
    ['1', 1],
    ['731', 731],
    ['007', 7],
  ])('accepts %j as %d', async (days, expected) => {
    const { value, messages } = await check(CountQuery, { days });
    expect(messages).toEqual([]);
    expect(value.days).toBe(expected);
  });

  it('keeps the default when the parameter is absent', async () => {
    const { value, messages } = await check(CountQuery, {});
    expect(messages).toEqual([]);
    expect(value.days).toBe(30);
  });

  const notDigits = 'days must be a whole number written in digits, like 30';
  it.each([
    ['a leading space (%205)', ' 5', [notDigits]],
    ['a trailing space', '5 ', [notDigits]],
    ['an exponent', '1e1', [notDigits]],
    ['hexadecimal', '0x10', [notDigits]],
    ['binary', '0b11', [notDigits]],
    ['a decimal point', '5.0', [notDigits]],
    ['a fraction', '1.5', [notDigits]],
    ['a plus sign', '+5', [notDigits]],
    ['empty', '', [notDigits]],
    ['words', 'abc', [notDigits]],
    ['Infinity', 'Infinity', [notDigits]],
    ['given twice', ['5', '6'], [notDigits]],
    ['zero', '0', ['days must not be less than 1']],
    ['negative', '-1', ['days must not be less than 1']],
    ['too large', '732', ['days must not be greater than 731']],
    ['past any integer type', '99999999999999999999', ['days must not be greater than 731']],
  ])('refuses %s', async (_name, days, expected) => {
    const { messages } = await check(CountQuery, { days });
    expect(messages).toEqual(expected);
  });
});

describe('IsInstant: ISO 8601 with an offset', () => {
  it.each([['2026-03-31T14:30:00+02:00'], ['2026-03-31T12:30:00Z'], ['2026-03-31T12:30:00.250-04:00']])(
    'accepts %s',
    async (now) => {
      expect((await check(InstantQuery, { now })).messages).toEqual([]);
    },
  );

  it.each([['2026-03-31T14:30:00'], ['2026-03-31'], ['2026-02-30T10:00:00Z'], ['noon'], ['1774960200000']])(
    'refuses %s, naming now',
    async (now) => {
      expect((await check(InstantQuery, { now })).messages).toEqual([
        'now must be an ISO 8601 instant with offset, like 2026-03-31T14:30:00+02:00',
      ]);
    },
  );
});

describe('IsDateOrInstant', () => {
  it.each([['2026-03-31'], ['2024-02-29'], ['2026-03-31T14:30:00+02:00']])('accepts %s', async (from) => {
    expect((await check(RangeQuery, { from })).messages).toEqual([]);
  });

  it.each([['2026-02-30'], ['2026-03-31T14:30:00'], ['31.03.2026'], ['yesterday']])('refuses %s', async (from) => {
    expect((await check(RangeQuery, { from })).messages).toEqual([
      'from must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset',
    ]);
  });
});

describe('IdParamDto: 1 to 2^53 − 1, in digits', () => {
  it.each([['1'], ['42'], ['9007199254740991']])('accepts %s', async (id) => {
    const { value, messages } = await check(IdParamDto, { id });
    expect(messages).toEqual([]);
    expect(value.id).toBe(id);
  });

  it.each([
    ['past a JSON number', '9007199254740992'],
    ['past bigint', '9223372036854775808'],
    ['the issue example', '99999999999999999999'],
    ['zero', '0'],
    ['a leading zero', '01'],
    ['negative', '-1'],
    ['an exponent', '1e3'],
    ['a fraction', '1.5'],
    ['a space', ' 1'],
    ['words', 'abc'],
  ])('refuses %s (%s)', async (_name, id) => {
    expect((await check(IdParamDto, { id })).messages).toEqual([
      'id must be a whole number from 1 to 9007199254740991',
    ]);
  });
});

describe('IsLocalDate: a calendar day that exists, without a time', () => {
  it.each([['2026-03-29'], ['2024-02-29'], ['2026-12-31']])('accepts %s', async (date) => {
    expect((await check(DayQuery, { date })).messages).toEqual([]);
  });

  it.each([['2026-02-30'], ['2025-02-29'], ['2026-3-29'], ['2026-03-29T00:00:00+01:00'], ['today'], [20260329]])(
    'refuses %j',
    async (date) => {
      expect((await check(DayQuery, { date })).messages).toEqual(['date must be a date (YYYY-MM-DD), like 2026-03-31']);
    },
  );
});
