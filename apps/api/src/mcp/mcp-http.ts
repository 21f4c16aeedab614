import {
  ArgumentsHost,
  CanActivate,
  Catch,
  ExceptionFilter,
  ExecutionContext,
  HttpException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthenticatedRequest } from '../auth/principal';

/** The JSON-RPC code the SDK's own transport gives to refusals at the HTTP level. */
const HTTP_LEVEL_ERROR = -32000;

/**
 * MCP clients are scripts and assistants, which carry an API token; a browser's session cookie is refused,
 * so that no page can make the dashboard's signed-in user call tools. Runs after the global guard, which
 * has already refused missing, unknown and revoked credentials.
 */
@Injectable()
export class McpTokenOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const caller = context.switchToHttp().getRequest<Request & AuthenticatedRequest>().user;
    if (caller?.via !== 'token')
      throw new UnauthorizedException(
        'the MCP endpoint takes an API token only (Authorization: Bearer <token>); a session cookie is not accepted',
      );
    return true;
  }
}

/**
 * Refusals before the MCP server runs (401, 403, 405) keep their HTTP status, with a JSON-RPC error as
 * the body so that an MCP client shows the reason.
 */
@Catch(HttpException)
export class McpHttpErrorFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = exception.getResponse();
    const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
    if (exception.getStatus() === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    if (exception.getStatus() === 405) res.setHeader('Allow', 'POST');
    res.status(exception.getStatus()).json({
      jsonrpc: '2.0',
      error: { code: HTTP_LEVEL_ERROR, message: Array.isArray(message) ? message.join('; ') : String(message) },
      id: null,
    });
  }
}
