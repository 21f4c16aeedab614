import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { HealthResponse } from '@mt/contracts';
import { Public } from '../common/public.decorator';
import { HealthResponseSchema } from './health.responses';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /**
   * Public: load balancers and the compose health check call it. 503 only while the database is down: a
   * degraded instance (slow database, stale exchange rates) still serves and says why in `reasons`.
   */
  @Public()
  @Get()
  @ApiOkResponse({ type: HealthResponseSchema, description: 'status ok or degraded, with the database check' })
  @ApiServiceUnavailableResponse({
    type: HealthResponseSchema,
    description: 'status down: the database does not answer',
  })
  async get(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const health = await this.health.health();
    if (health.status === 'down') res.status(503);
    return health;
  }
}
