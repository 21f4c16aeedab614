import { BadRequestException } from '@nestjs/common';
import { customRange, TimeWindow } from '@mt/periods';

/**
 * The range a request names with `from` and `to` (dates of the zone, `to` inclusive, or instants), or a
 * 400 that says which bound is wrong. Bounds are compared by where each starts, so from = to is one day.
 */
export function requestedRange(from: string, to: string, zone: string): TimeWindow {
  const start = (name: 'from' | 'to', value: string): Date => {
    try {
      return customRange(value, value, zone).from;
    } catch {
      throw new BadRequestException([`${name} must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset`]);
    }
  };
  if (start('from', from).getTime() > start('to', to).getTime()) {
    throw new BadRequestException(['from must not be after to']);
  }
  return customRange(from, to, zone);
}
