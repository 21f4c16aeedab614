import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { GoalProgressResponse, GoalSettings } from '@mt/contracts';
import { ApiSignedIn } from '../auth/api-auth';
import { AdminOnly } from '../auth/roles.decorator';
import { Clock, ClockQuery } from '../common/clock';
import { GoalSettingsDto } from './goals.dto';
import { GoalProgressSchema, GoalSettingsSchema } from './goals.responses';
import { GoalsService } from './goals.service';

@ApiTags('goals')
@ApiSignedIn()
@Controller('goals')
export class GoalsController {
  constructor(
    private readonly goals: GoalsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The monthly revenue goal' })
  @ApiOkResponse({ type: GoalSettingsSchema })
  settings(): Promise<GoalSettings> {
    return this.goals.settings();
  }

  @Put()
  @AdminOnly()
  @ApiOperation({ summary: 'Set (or, with null, remove) the monthly revenue goal (admin)' })
  @ApiOkResponse({ type: GoalSettingsSchema })
  update(@Body() body: GoalSettingsDto): Promise<GoalSettings> {
    return this.goals.updateSettings(body.monthlyRevenue);
  }

  @Get('current')
  @ApiOperation({ summary: "This month's revenue against the goal, projected to month end at the pace so far" })
  @ApiOkResponse({ type: GoalProgressSchema })
  current(@Query() query: ClockQuery): Promise<GoalProgressResponse> {
    return this.goals.current(this.clock.now(query.now));
  }
}
