import { Body, Controller, Get, Put, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type {
  SpotifyCountriesResponse,
  SpotifyMinutesResponse,
  SpotifyMonthsResponse,
  SpotifyStatementsResponse,
  SpotifyQuarterlyProjectionResponse,
  SpotifySettings,
} from '@mt/contracts';
import { Clock, ClockQuery } from '../common/clock';
import { ApiSignedIn } from '../auth/api-auth';
import type { AuthenticatedRequest } from '../auth/principal';
import { AdminOnly } from '../auth/roles.decorator';
import { SpotifyCountriesQuery, SpotifyMinutesQuery, SpotifyMonthsQuery, SpotifySettingsDto } from './spotify.dto';
import {
  SpotifyCountriesSchema,
  SpotifyMinutesSchema,
  SpotifyMonthsSchema,
  SpotifyQuarterlyProjectionSchema,
  SpotifyStatementsSchema,
  SpotifySettingsSchema,
} from './spotify.responses';
import { SpotifyService } from './spotify.service';
import { StatementsService } from './statements.service';

@ApiTags('spotify')
@ApiSignedIn()
@Controller('spotify')
export class SpotifyController {
  constructor(
    private readonly spotify: SpotifyService,
    private readonly statements: StatementsService,
    private readonly clock: Clock,
  ) {}

  @Get('months')
  @ApiOkResponse({
    type: SpotifyMonthsSchema,
    description:
      "Each month's minutes, estimated revenue, confirmed revenue once a statement covers it, and the difference",
  })
  months(@Query() query: SpotifyMonthsQuery): Promise<SpotifyMonthsResponse> {
    return this.statements.months(this.clock.now(query.now), query.months);
  }

  @Get('statements')
  @ApiOkResponse({
    type: SpotifyStatementsSchema,
    description: 'Royalty statements received, and the payments still to come with their due dates',
  })
  statementList(@Query() query: ClockQuery): Promise<SpotifyStatementsResponse> {
    return this.statements.statements(this.clock.now(query.now));
  }

  @Get('minutes')
  @ApiOkResponse({
    type: SpotifyMinutesSchema,
    description: 'Listening minutes per week of the last N complete weeks, with estimated revenue and completes',
  })
  minutes(@Query() query: SpotifyMinutesQuery): Promise<SpotifyMinutesResponse> {
    return this.spotify.minutes(this.clock.now(query.now), query.weeks);
  }

  @Get('countries')
  @ApiOkResponse({
    type: SpotifyCountriesSchema,
    description: 'Minutes per country per week of the last N complete weeks, totals and week-over-week % change',
  })
  countries(@Query() query: SpotifyCountriesQuery): Promise<SpotifyCountriesResponse> {
    return this.spotify.countries(this.clock.now(query.now), query.weeks);
  }

  /** The stored projection (refreshed hourly and after uploads); tests pin `now` and get a fresh one. */
  @Get('quarterly-projection')
  @ApiOkResponse({
    type: SpotifyQuarterlyProjectionSchema,
    description: 'Settled quarters and the projection of the current one, with computedAt',
  })
  quarterlyProjection(@Query() query: ClockQuery): Promise<SpotifyQuarterlyProjectionResponse> {
    if (query.now !== undefined) return this.spotify.computeProjection(this.clock.now(query.now));
    return this.spotify.storedProjection();
  }
}

@ApiTags('settings')
@ApiSignedIn()
@AdminOnly()
@Controller('settings/spotify')
export class SpotifySettingsController {
  constructor(private readonly spotify: SpotifyService) {}

  @Get()
  @ApiOkResponse({ type: SpotifySettingsSchema, description: 'Pool rate with its source, average book length' })
  get(): Promise<SpotifySettings> {
    return this.spotify.settings();
  }

  @Put()
  @ApiOkResponse({ type: SpotifySettingsSchema, description: 'Saved settings; the stored projection is recomputed' })
  update(@Body() body: SpotifySettingsDto, @Req() request: AuthenticatedRequest): Promise<SpotifySettings> {
    return this.spotify.updateSettings(body, request.user?.email ?? null);
  }
}
