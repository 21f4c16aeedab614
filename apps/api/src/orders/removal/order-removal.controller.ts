import { Controller, Delete, Get, Param, Query, Req } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrderRemovedResponse, StoredOrdersResponse } from '@mt/contracts';
import { ApiSignedIn } from '../../auth/api-auth';
import type { AuthenticatedRequest } from '../../auth/principal';
import { AdminOnly } from '../../auth/roles.decorator';
import { OrderRemovedResponseSchema, StoredOrdersResponseSchema } from '../orders.responses';
import { FindOrdersQuery } from './order-removal.dto';
import { OrderRemovalService } from './order-removal.service';

@ApiTags('orders')
@ApiSignedIn()
@AdminOnly()
@Controller('orders')
export class OrderRemovalController {
  constructor(private readonly removal: OrderRemovalService) {}

  @Get('find')
  @ApiOperation({ summary: 'Stored orders of a platform by order number or id (admin), to remove one' })
  @ApiOkResponse({ type: StoredOrdersResponseSchema })
  find(@Query() query: FindOrdersQuery): Promise<StoredOrdersResponse> {
    return this.removal.find(query.platform, query.ref);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Remove an order that should not be there from the figures (admin), with an audit line' })
  @ApiOkResponse({ type: OrderRemovedResponseSchema })
  @ApiNotFoundResponse({ description: 'no such order in the figures (unknown, or removed already)' })
  remove(@Param('id') id: string, @Req() request: AuthenticatedRequest): Promise<OrderRemovedResponse> {
    return this.removal.remove(id, request.user);
  }
}
