import { HttpException, Injectable, Logger } from '@nestjs/common';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { Request, Response } from 'express';
import type { Principal } from '../auth/principal';
import { AppConfig } from '../config/app-config';
import { DATA_DICTIONARY_URI, dataDictionary } from './data-dictionary';
import { inputSchemaOf, parseToolInput, ToolInputRejected } from './mcp-input';
import { MCP_TOOLS, McpServices, McpTool, ToolUnits } from './mcp-tools';

/** MCP's "resource not found" (the specification's own code; the SDK has no name for it). */
const RESOURCE_NOT_FOUND = -32002;

/**
 * A JSON-RPC error as the SDK sends it (its `code` and `message`). Not the SDK's McpError, whose message
 * already starts with "MCP error <code>:", which the client then puts in front a second time.
 */
class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The MCP server of one request: the endpoint is stateless, so every POST gets a server that knows its
 * caller, lists the tools that caller may use and runs them through the REST API's services.
 */
@Injectable()
export class McpService {
  private readonly logger = new Logger(McpService.name);

  constructor(
    private readonly services: McpServices,
    private readonly config: AppConfig,
  ) {}

  /** One JSON-RPC message (or batch) of POST /api/mcp, answered as JSON; no session outlives the request. */
  async handle(req: Request, res: Response, caller: Principal): Promise<void> {
    const server = this.serverFor(caller);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }

  serverFor(caller: Principal): Server {
    const server = new Server(
      { name: 'mt-ink-dashboard', title: 'MT Ink Dashboard', version: '0.1.0' },
      {
        capabilities: { tools: {}, resources: {} },
        instructions:
          `Sales, Spotify and import figures of MT Ink, exactly as the dashboard shows them. ${this.unitsOf('sales')} ` +
          `Read the resource ${DATA_DICTIONARY_URI} to explain what a figure counts.`,
      },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: MCP_TOOLS.filter((tool) => allowed(tool, caller)).map((tool) => this.describe(tool)),
    }));
    server.setRequestHandler(CallToolRequestSchema, (request) =>
      this.call(request.params.name, request.params.arguments, caller),
    );
    server.setRequestHandler(ListResourcesRequestSchema, () => ({
      resources: [
        {
          uri: DATA_DICTIONARY_URI,
          name: 'data-dictionary',
          title: 'Data dictionary',
          description: 'What the figures count: time zone, same-point windows, refunds, currencies, Spotify estimates',
          mimeType: 'text/markdown',
        },
      ],
    }));
    server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
      if (request.params.uri !== DATA_DICTIONARY_URI)
        throw new ProtocolError(
          RESOURCE_NOT_FOUND,
          `unknown resource ${request.params.uri}; there is ${DATA_DICTIONARY_URI}`,
        );
      const text = dataDictionary(this.config, await this.services.spotify.settings());
      return { contents: [{ uri: DATA_DICTIONARY_URI, mimeType: 'text/markdown', text }] };
    });
    return server;
  }

  private describe(tool: McpTool): Tool {
    return {
      name: tool.name,
      title: tool.title,
      description: `${tool.description} ${this.unitsOf(tool.units)} Returns the JSON of ${tool.rest}.`,
      inputSchema: inputSchemaOf(tool.input, { testClock: this.config.allowTestClock }),
      // An import of the same content again is recognised and changes nothing.
      annotations: { readOnlyHint: tool.rest.startsWith('GET '), idempotentHint: true, openWorldHint: false },
    };
  }

  private unitsOf(units: ToolUnits): string {
    const zone = this.config.businessTimezone;
    switch (units) {
      case 'sales':
        return (
          `Amounts are in ${this.config.baseCurrency} (the base currency), rounded to cents; orders are counted ` +
          `orders; days, weeks (Monday first) and months are calendar periods in ${zone} (the business time ` +
          `zone); times are ISO 8601 with offset; changes are percentages, null when the previous value is 0.`
        );
      case 'spotify':
        return (
          `Minutes are listening minutes; amounts are in US dollars, rounded to cents, estimated as minutes × the ` +
          `pool rate ($ per minute); weeks are ISO weeks (Monday first) in ${zone} (the business time zone).`
        );
      case 'none':
        return `Times are ISO 8601 instants with offset; calendar days are those of ${zone} (the business time zone).`;
    }
  }

  /** Refusals are protocol errors that say why, before anything runs: an unknown tool, a role, bad arguments. */
  private async call(name: string, args: unknown, caller: Principal): Promise<CallToolResult> {
    const tool = MCP_TOOLS.find((candidate) => candidate.name === name);
    if (!tool)
      throw new ProtocolError(ErrorCode.InvalidParams, `unknown tool ${name}; tools/list names the tools there are`);
    if (!allowed(tool, caller))
      throw new ProtocolError(
        ErrorCode.InvalidRequest,
        `${name} needs the admin role, and this API token belongs to a ${caller.role}; nothing was changed`,
      );
    let input: object;
    try {
      input = await parseToolInput(tool.input, args);
    } catch (error) {
      if (error instanceof ToolInputRejected)
        throw new ProtocolError(ErrorCode.InvalidParams, `invalid arguments for ${name}: ${error.message}`);
      throw error;
    }
    if (tool.adminOnly) this.logger.log(`${name} called by user ${caller.id}`);
    let result: object;
    try {
      result = await tool.run(this.services, input, caller);
    } catch (error) {
      throw this.protocolError(name, error);
    }
    return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: { ...result } };
  }

  /** A service's 4xx (a range that ends before it starts, a `now` outside tests) keeps its words; anything else is logged. */
  private protocolError(name: string, error: unknown): ProtocolError {
    if (error instanceof HttpException && error.getStatus() < 500) {
      const code = error.getStatus() === 400 ? ErrorCode.InvalidParams : ErrorCode.InvalidRequest;
      return new ProtocolError(code, `${name}: ${httpMessage(error)}`);
    }
    this.logger.error(`${name} failed`, error instanceof Error ? error.stack : String(error));
    return new ProtocolError(ErrorCode.InternalError, `${name} failed on the server; the error is in its log`);
  }
}

function allowed(tool: McpTool, caller: Principal): boolean {
  return !tool.adminOnly || caller.role === 'admin';
}

function httpMessage(error: HttpException): string {
  const message = (error.getResponse() as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : error.message;
}
