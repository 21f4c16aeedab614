import { BadRequestException, Injectable } from '@nestjs/common';
import { ApiHideProperty } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { AppConfig } from '../config/app-config';

/**
 * Query parameters of every endpoint that depends on "now". Extend it in a route's query DTO so that the
 * whitelisting ValidationPipe lets `now` through; it is hidden from Swagger because production refuses it.
 */
export class ClockQuery {
  /** Tests only (ALLOW_TEST_CLOCK): the instant to treat as now, ISO 8601 with offset. */
  @ApiHideProperty()
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  now?: string;
}

/**
 * The one source of "now" for request handling. Tests pin it with `?now=` so that windows are
 * deterministic; anywhere else a `now` is a 400, never silently ignored.
 */
@Injectable()
export class Clock {
  constructor(private readonly config: AppConfig) {}

  now(requested?: string): Date {
    if (requested === undefined) return new Date();
    if (!this.config.allowTestClock) throw new BadRequestException(['now is only accepted in tests']);
    const pinned = new Date(requested);
    if (Number.isNaN(pinned.getTime())) throw new BadRequestException(['now must be a valid ISO 8601 instant']);
    return pinned;
  }
}
