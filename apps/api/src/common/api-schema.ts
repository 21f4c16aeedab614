import type { ApiPropertyOptions } from '@nestjs/swagger';

/**
 * Building blocks of the response classes (`*.responses.ts`). Those classes exist only because Swagger
 * cannot read the TypeScript interfaces of `libs/contracts`: each one `implements` its interface, so the
 * compiler keeps the property names and types in step, and states in `@ApiProperty` what the
 * document shows.
 */

/** `IsoDateTime` of the contracts: an instant, ISO 8601 with offset. */
export const DATE_TIME = { type: String, format: 'date-time', example: '2026-03-29T03:00:00+02:00' } as const;

/** `IsoDate` of the contracts: a calendar day in the business time zone. */
export const DATE = { type: String, format: 'date', example: '2026-03-29' } as const;

/** A percentage change, null where the base is 0 or missing (SPEC §2). */
export const PERCENT_CHANGE: ApiPropertyOptions = {
  type: Number,
  nullable: true,
  description: 'percent change from the previous period; null when that was 0',
  example: 12.5,
};

/**
 * The values of a string union for an OpenAPI enum, given as the keys of an object literal so that
 * the compiler refuses a missing or a foreign one: `literals<GoalPace>({ on_track: true, … })`.
 */
export function literals<T extends string>(values: Record<T, true>): T[] {
  return Object.keys(values) as T[];
}
