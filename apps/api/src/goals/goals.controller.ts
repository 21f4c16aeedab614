import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { GoalProgressResponse, GoalSettings } from '@mt/contracts';
import { AdminOnly } from '../auth/roles.decorator';
import { Clock, ClockQuery } from '../common/clock';
import { GoalSettingsDto } from './goals.dto';
import { GoalsService } from './goals.service';

@ApiTags('goals')
@Controller('goals')
export class GoalsController {
  constructor(
    private readonly goals: GoalsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The monthly revenue goal' })
  settings(): Promise<GoalSettings> {
    return this.goals.settings();
  }

  @Put()
  @AdminOnly()
  @ApiOperation({ summary: 'Set (or, with null, remove) the monthly revenue goal (admin)' })
  update(@Body() body: GoalSettingsDto): Promise<GoalSettings> {
    return this.goals.updateSettings(body.monthlyRevenue);
  }

  @Get('current')
  @ApiOperation({ summary: "This month's revenue against the goal, projected to month end at the pace so far" })
  @ApiOkResponse({ description: '{ month, goal, revenue, projected, elapsed, expectedByNow, percentOfGoal, pace }' })
  current(@Query() query: ClockQuery): Promise<GoalProgressResponse> {
    return this.goals.current(this.clock.now(query.now));
  }
}
