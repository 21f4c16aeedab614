import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';
import { isInstant, isLocalDate } from '@mt/periods';

/**
 * The grammar of the values that requests carry in query strings and paths, one decorator each, so that
 * every endpoint refuses the same things with the same words (a 400 naming the field).
 */

/** A wall-clock time `HH:MM`, 00:00 to 23:59 (alert hours, quiet hours). */
export const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Digits, optionally signed with a minus: not ` 5`, `1e1`, `0x10`, `5.0` or `+5`, which `Number()` would take. */
const PLAIN_INTEGER = /^-?\d+$/;

/**
 * A query parameter that counts something (days, weeks, months, limit): a plain decimal integer in
 * [min, max]. One constraint, so that a bad value gets one message, the one that says what is wrong.
 */
export function IsCount(min: number, max: number): PropertyDecorator {
  const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);
  return applyDecorators(
    // Only plain decimal strings become numbers; anything else stays a string and is refused.
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && PLAIN_INTEGER.test(value) ? Number(value) : value,
    ),
    ValidateBy({
      name: 'isCount',
      constraints: [min, max],
      validator: {
        validate: (value) => isInteger(value) && value >= min && value <= max,
        defaultMessage: ({ value }: ValidationArguments) => {
          if (!isInteger(value)) return '$property must be a whole number written in digits, like 30';
          return value < min ? `$property must not be less than ${min}` : `$property must not be greater than ${max}`;
        },
      },
    }),
  );
}

/** A string that `test` accepts, refused with `message` (which may name the field as `$property`). */
function stringRule(name: string, test: (value: string) => boolean, message: string, options?: ValidationOptions) {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value) => typeof value === 'string' && test(value),
        defaultMessage: () => message,
      },
    },
    options,
  );
}

/** An ISO 8601 instant with offset; without one it would silently mean the server's zone. */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return stringRule(
    'isInstant',
    isInstant,
    '$property must be an ISO 8601 instant with offset, like 2026-03-31T14:30:00+02:00',
    options,
  );
}

/** A calendar date of the business zone, `YYYY-MM-DD`, that exists (not 30 February). */
export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return stringRule('isLocalDate', isLocalDate, '$property must be a date (YYYY-MM-DD), like 2026-03-31', options);
}

/** A calendar date of the business zone (`YYYY-MM-DD`) or an ISO 8601 instant with offset. */
export function IsDateOrInstant(options?: ValidationOptions): PropertyDecorator {
  return stringRule(
    'isDateOrInstant',
    (value) => isLocalDate(value) || isInstant(value),
    '$property must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset',
    options,
  );
}

/**
 * Ids are `bigserial`, but the contracts carry some of them (alert rules, alert events) as JSON numbers,
 * which are exact only up to 2^53 − 1; a sequence never gets that far, so that is the largest id asked for.
 * Anything past it would otherwise reach PostgreSQL as an out-of-range bigint (a 500) or a rounded number.
 */
export const MAX_ID = Number.MAX_SAFE_INTEGER;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value) && Number(value) <= MAX_ID;
}

/** A row id as a decimal string, 1 to `MAX_ID`. */
export function IsId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isId',
      validator: {
        validate: isId,
        defaultMessage: () => `$property must be a whole number from 1 to ${MAX_ID}`,
      },
    },
    options,
  );
}

/** The `:id` of every route that addresses one row. */
export class IdParamDto {
  @ApiProperty({ description: `A row id, 1 to ${MAX_ID}`, example: '1' })
  @IsId()
  id!: string;
}
