import { DynamicModule, LoggerService, Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import pino, { Logger as Pino } from 'pino';
import { AppConfig } from '../config/app-config';

/** A request id from the client (or the proxy in front) is kept when it is sane, so logs can be joined. */
const INCOMING_ID = /^[\w.:-]{1,64}$/;

/** One JSON object per line on stdout: what container platforms and log shippers read. */
export function createRootLogger(config: Pick<AppConfig, 'logLevel'>): Pino {
  return pino({
    level: config.logLevel,
    base: { pid: process.pid, service: 'mtink-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Credentials never reach the logs.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'req.headers["x-shopify-hmac-sha256"]',
        'req.headers["x-wc-webhook-signature"]',
      ],
      censor: '[redacted]',
    },
  });
}

/** Query parameters that carry credentials: the OpenID Connect callback's authorization code and state. */
const SECRET_QUERY_PARAMETERS = new Set(['code', 'state', 'session_state', 'id_token', 'access_token']);

/** The URL as logged: the values of credential-bearing query parameters replaced. */
export function withoutSecrets(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const parameters = url
    .slice(query + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=')[0]!;
      return SECRET_QUERY_PARAMETERS.has(decodeURIComponentSafe(name)) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, query)}?${parameters.join('&')}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * Structured logs (SPEC §8): nestjs-pino gives every log line written while a request is handled that
 * request's id, and pino-http logs each request once it completes.
 */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger: createRootLogger(config),
            genReqId: requestId,
            customLogLevel: (req, res, error) => {
              if (error || res.statusCode >= 500) return 'error';
              if (res.statusCode >= 400) return 'warn';
              // Load balancers and compose ask for health every few seconds.
              return req.url?.startsWith('/api/health') ? 'debug' : 'info';
            },
            serializers: {
              req: (req: { id: string; method: string; url: string; raw: { ip?: string } }) => ({
                id: req.id,
                method: req.method,
                url: withoutSecrets(req.url),
                // The client as Express resolved it under TRUST_PROXY, the address the login limits count.
                remoteAddress: req.raw.ip,
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
      ],
    };
  }
}

/** Nest's `LoggerService` over a pino logger, for the lines written before the app (and nestjs-pino) exist. */
export class EarlyLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}
  log(message: unknown, context?: string): void {
    this.pino.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.pino.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.pino.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.pino.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.pino.trace({ context }, String(message));
  }
}
