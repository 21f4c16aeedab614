import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FirstScreenResponse } from '@mt/contracts';
import { ApiSignedIn } from '../auth/api-auth';
import { Clock, ClockQuery } from '../common/clock';
import { FirstScreenSchema } from './first-screen.responses';
import { FirstScreenService } from './first-screen.service';

@ApiTags('comparison')
@ApiSignedIn()
@Controller('first-screen')
export class FirstScreenController {
  constructor(
    private readonly firstScreen: FirstScreenService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The dashboard's first screen in one answer: the hero, its hourly chart, the metrics grid and its series",
    description:
      'Each part equals its own endpoint at the same instant: `today-vs-yesterday`, `growth/hourly`, ' +
      '`metrics/summary`, `growth/weekly?weeks=13`, `growth/monthly?months=13`, `growth/daily?days=31`.',
  })
  @ApiOkResponse({ type: FirstScreenSchema })
  get(@Query() query: ClockQuery): Promise<FirstScreenResponse> {
    return this.firstScreen.firstScreen(this.clock.now(query.now));
  }
}
