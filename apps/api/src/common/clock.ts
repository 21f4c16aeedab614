import { BadRequestException, Injectable } from '@nestjs/common';
import { ApiHideProperty } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { parseInstant } from '@mt/periods';
import { AppConfig } from '../config/app-config';
import { IsInstant } from './validation';

/**
 * Query parameters of every endpoint that depends on "now". Extend it in a route's query DTO so that the
 * whitelisting ValidationPipe lets `now` through; it is hidden from Swagger because production refuses it.
 */
export class ClockQuery {
  /** Tests only (ALLOW_TEST_CLOCK): the instant to treat as now, ISO 8601 with offset. */
  @ApiHideProperty()
  @IsOptional()
  @IsInstant()
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
    try {
      return parseInstant(requested);
    } catch {
      throw new BadRequestException(['now must be an ISO 8601 instant with offset, like 2026-03-31T14:30:00+02:00']);
    }
  }
}
