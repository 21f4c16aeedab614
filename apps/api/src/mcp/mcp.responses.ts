import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The OpenAPI shapes of POST /api/mcp, kept minimal: the messages are JSON-RPC 2.0 as the Model Context
 * Protocol defines them (modelcontextprotocol.io), and an MCP client, not the explorer, is what speaks it.
 */

export class McpRequestSchema {
  @ApiProperty({ enum: ['2.0'] })
  jsonrpc!: '2.0';

  @ApiProperty({ type: 'integer', description: 'Absent on notifications', required: false, example: 1 })
  id?: number;

  @ApiProperty({
    description: 'initialize, tools/list, tools/call, resources/list, resources/read, …',
    example: 'tools/list',
  })
  method!: string;

  @ApiPropertyOptional({ type: 'object', description: 'The parameters of the method', additionalProperties: true })
  params?: Record<string, unknown>;
}

export class McpContentSchema {
  @ApiProperty({ enum: ['text'] })
  type!: 'text';

  @ApiProperty({ description: "The tool's answer as JSON text" })
  text!: string;
}

export class McpResultSchema {
  @ApiPropertyOptional({
    type: [McpContentSchema],
    description:
      'tools/call: the answer as text; structuredContent (the REST contract) and the other fields of each method are not listed here',
  })
  content?: McpContentSchema[];
}

export class McpErrorSchema {
  @ApiProperty({ type: 'integer', example: -32602 })
  code!: number;

  @ApiProperty({
    example: 'invalid arguments for sales_range: from must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset',
  })
  message!: string;
}

export class McpResponseSchema {
  @ApiProperty({ enum: ['2.0'] })
  jsonrpc!: '2.0';

  @ApiProperty({ type: 'integer', nullable: true, description: 'The id of the request answered', example: 1 })
  id!: number | null;

  @ApiPropertyOptional({ type: McpResultSchema })
  result?: McpResultSchema;

  @ApiPropertyOptional({ type: McpErrorSchema })
  error?: McpErrorSchema;
}
