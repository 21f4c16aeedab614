import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CountedStatusesResponse, CountedStatusesUpdated } from '@mt/contracts';
import { ApiSignedIn } from '../../auth/api-auth';
import { AdminOnly } from '../../auth/roles.decorator';
import { CountedStatusesResponseSchema, CountedStatusesUpdatedSchema } from '../orders.responses';
import { CountedStatusesUpdateDto } from './counted-statuses.dto';
import { CountedStatusesService } from './counted-statuses.service';

@ApiTags('settings')
@ApiSignedIn()
@Controller('settings/counted-statuses')
export class CountedStatusesController {
  constructor(private readonly statuses: CountedStatusesService) {}

  @Get()
  @ApiOperation({ summary: 'Which statuses of each platform count, in its own words (SPEC §2)' })
  @ApiOkResponse({ type: CountedStatusesResponseSchema })
  read(): Promise<CountedStatusesResponse> {
    return this.statuses.read();
  }

  @Put()
  @AdminOnly()
  @ApiOperation({ summary: "Set one platform's statuses that do not count (admin); stored orders follow at once" })
  @ApiOkResponse({ type: CountedStatusesUpdatedSchema })
  @ApiBadRequestResponse({ description: 'a platform or status that is not known, named' })
  update(@Body() body: CountedStatusesUpdateDto): Promise<CountedStatusesUpdated> {
    return this.statuses.update(body);
  }
}
