import {
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { TOKEN_SCHEME } from '../auth/api-auth';
import type { AuthenticatedRequest, Principal } from '../auth/principal';
import { McpHttpErrorFilter, McpTokenOnlyGuard } from './mcp-http';
import { McpRequestSchema, McpResponseSchema } from './mcp.responses';
import { McpService } from './mcp.service';

/** The Model Context Protocol over Streamable HTTP, stateless: every message is one POST. */
@ApiTags('mcp')
@ApiBearerAuth(TOKEN_SCHEME)
@UseGuards(McpTokenOnlyGuard)
@UseFilters(McpHttpErrorFilter)
@Controller('mcp')
export class McpController {
  constructor(private readonly mcp: McpService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Model Context Protocol (Streamable HTTP, JSON-RPC 2.0): the dashboard’s figures as tools for an assistant',
    description: 'API token only. See the README, "Ask the dashboard (MCP)", for a client configuration and the tools.',
  })
  @ApiBody({ type: McpRequestSchema })
  @ApiOkResponse({ type: McpResponseSchema, description: 'The JSON-RPC answer' })
  handle(@Req() req: Request & AuthenticatedRequest, @Res() res: Response): Promise<void> {
    return this.mcp.handle(req, res, req.user as Principal);
  }

  /** A stateless server offers no server-sent stream (GET) and has no session to end (DELETE). */
  @Get()
  @ApiExcludeEndpoint()
  openStream(): never {
    throw statelessOnly();
  }

  @Delete()
  @ApiExcludeEndpoint()
  endSession(): never {
    throw statelessOnly();
  }
}

function statelessOnly(): HttpException {
  return new HttpException(
    'method not allowed: this MCP server is stateless, send every message with POST',
    HttpStatus.METHOD_NOT_ALLOWED,
  );
}
