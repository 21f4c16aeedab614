import { DynamicModule, LoggerService, Module, RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream, Logger as Pino, LoggerOptions } from 'pino';
import pinoPretty from 'pino-pretty';
import { AppConfig } from '../config/app-config';

/** A request id from the client (or the proxy in front) is kept when it is sane, so logs can be joined. */
const INCOMING_ID = /^[\w.:-]{1,64}$/;

/**
 * One JSON object per line on stdout (what container platforms and log shippers read), or one
 * readable line per entry when a person watches a terminal (`LOG_FORMAT`, by default `pretty` exactly
 * when stdout is a TTY).
 */
export function createRootLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>): Pino {
  const options: LoggerOptions = {
    level: config.logLevel,
    base: { pid: process.pid, service: 'mtink-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
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
  };
  if (config.logFormat === 'pretty') return pino(options, prettyStream());
  return pino({ ...options, formatters: { level: (label) => ({ level: label }) } });
}

/**
 * `09:32:31 INFO  Database: starting embedded PostgreSQL …`; a request is one line too. Synchronous, so
 * that the lines written just before `process.exit` are not lost.
 */
function prettyStream(): DestinationStream {
  return pinoPretty({
    sync: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service,context,req,res,responseTime',
    messageFormat: (log, messageKey) => {
      const { req, res, responseTime } = log as {
        req?: { method?: string; url?: string };
        res?: { statusCode?: number };
        responseTime?: number;
      };
      if (req?.method && res?.statusCode) return `${req.method} ${req.url} ${res.statusCode} (${responseTime} ms)`;
      return log.context ? `${String(log.context)}: ${String(log[messageKey])}` : String(log[messageKey]);
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
          // Express 5 path syntax: nestjs-pino's default, '*', makes Nest warn at every start.
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
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

/**
 * Nest's own start-up chatter (every module initialised, every route mapped) is for whoever debugs the
 * framework, not for someone starting the app: those `log` calls are written at `debug`.
 */
const FRAMEWORK_CHATTER = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
  'NestApplication',
]);

/** Wraps the logger Nest writes to, so that its start-up chatter goes to `debug` and the rest is unchanged. */
export class QuietFrameworkLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}
  log(message: unknown, ...params: unknown[]): void {
    const context = params[params.length - 1];
    if (typeof context === 'string' && FRAMEWORK_CHATTER.has(context)) this.inner.debug?.(message, ...params);
    else this.inner.log(message, ...params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.inner.error(message, ...params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.inner.warn(message, ...params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.inner.debug?.(message, ...params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.inner.verbose?.(message, ...params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    (this.inner.fatal ?? this.inner.error).call(this.inner, message, ...params);
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
