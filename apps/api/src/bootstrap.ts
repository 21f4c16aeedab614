import { INestApplication, Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule, DASHBOARD_DIST } from './app.module';
import { SESSION_SCHEME, SESSION_SECURITY, TOKEN_SCHEME, TOKEN_SECURITY } from './auth/api-auth';
import { AppConfig } from './config/app-config';
import { precompressedFiles, responseCompression } from './common/web-delivery';
import { ADMITTED_WEBHOOK_PATHS, WebhookAdmission } from './orders/webhooks/webhook-admission';
import { webhookRawBody, WEBHOOKS_PATH } from './orders/webhooks/webhook-raw-body';
import { QuietFrameworkLogger } from './logging/logging.module';
import { PostgresIoAdapter } from './realtime/postgres-io.adapter';

/**
 * The dashboard is an Angular app from our own origin: scripts only from us, inline styles allowed
 * because Angular and Material set style attributes at run time, images also as data:/blob: (chart
 * exports), and connections to ourselves (REST and the Socket.IO WebSocket: CSP3 'self' covers
 * ws:/wss: to the same host).
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  scriptSrcAttr: ["'none'"],
  // Off: `npm start` serves plain HTTP on localhost and LAN addresses, where upgrading every
  // subresource to https would break the page. Behind HTTPS, HSTS does the upgrading.
  upgradeInsecureRequests: null,
};

/**
 * Builds the Nest application exactly as production runs it; tests call this too, so what they check
 * is what users get.
 */
export async function createApp(
  config: AppConfig,
  options: { logger?: false; dashboardDir?: string } = {},
): Promise<NestExpressApplication> {
  const dashboardDir = options.dashboardDir ?? DASHBOARD_DIST;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, dashboardDir), {
    logger: options.logger === false ? false : undefined,
    // Held until the logger below takes over, so that start-up lines have its format too.
    bufferLogs: options.logger !== false,
    rawBody: true,
    bodyParser: true,
  });
  if (options.logger !== false) app.useLogger(new QuietFrameworkLogger(app.get(PinoLogger)));
  configureApp(app, config, dashboardDir);
  return app;
}

export function configureApp(
  app: INestApplication & NestExpressApplication,
  config: AppConfig,
  dashboardDir = DASHBOARD_DIST,
): void {
  // req.ip and req.secure come from X-Forwarded-* only when one of the TRUST_PROXY proxies sent them,
  // so that no client (on the internet or the office network) can claim another address and escape
  // the per-address login limits; the limits, the logs and the Secure cookie all read req.ip/req.secure.
  app.set('trust proxy', config.signIn.trustProxy);
  app.disable('x-powered-by');
  // First of all: a webhook this instance cannot store in time is refused before anything is spent on it.
  app.use(WEBHOOKS_PATH, webhookRawBody);
  app.use(ADMITTED_WEBHOOK_PATHS, app.get(WebhookAdmission).middleware);
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY } }));
  // Before every route: JSON and the dashboard go out compressed (exports, Socket.IO and webhooks not);
  // the dashboard's files as their build-time .br/.gz twins where the browser takes them.
  app.use(responseCompression());
  app.use(precompressedFiles(dashboardDir));
  app.setGlobalPrefix('api');
  app.useBodyParser('json', { limit: '2mb' });
  app.useBodyParser('urlencoded', { limit: '100kb', extended: false });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  // Only the listed origins get CORS headers (credentials included); the dashboard served by the API
  // itself is same-origin and needs none. CORS_ORIGINS refuses "*" at start.
  app.enableCors({ origin: config.corsOrigins.length ? [...config.corsOrigins] : false, credentials: true });
  app.useWebSocketAdapter(new PostgresIoAdapter(app, config));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('MT Ink Dashboard API')
      .setDescription(
        'Sales, Spotify and uploads of MT Ink. Times are ISO 8601 with offset; money in the base currency.',
      )
      .setVersion('0.1.0')
      .addSecurity(TOKEN_SCHEME, TOKEN_SECURITY)
      .addSecurity(SESSION_SCHEME, SESSION_SECURITY)
      .build(),
  );
  // The explorer page and description stay public (they hold no data, and load before anyone can
  // sign in); every call made from it needs a token (Authorize → bearer) or the session cookie, which
  // every protected operation lists (ApiSignedIn).
  SwaggerModule.setup('api/docs', app, document);
  // Last in the chain: errors raised before Nest's routing (a body over the limit, malformed JSON)
  // would otherwise reach Express's default handler, which prints the stack outside production.
  app.use(plainErrors);
  new Logger('Bootstrap').verbose(
    `business time zone ${config.businessTimezone}, base currency ${config.baseCurrency}`,
  );
}

/** Express-level error handler: status and message only, never a stack trace. */
function plainErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  const status = httpStatusOf(error);
  const expose = status < 500 && error instanceof Error;
  res.status(status).json({ statusCode: status, message: expose ? (error as Error).message : 'Internal server error' });
}

function httpStatusOf(error: unknown): number {
  const candidate =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof candidate === 'number' && candidate >= 400 && candidate < 600 ? candidate : 500;
}
