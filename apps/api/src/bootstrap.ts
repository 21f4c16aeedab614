import { INestApplication, Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';

/**
 * Builds the Nest application exactly as production runs it; tests call this too, so what they check
 * is what users get.
 */
export async function createApp(config: AppConfig, options: { logger?: false } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: options.logger === false ? false : undefined,
    rawBody: true,
    bodyParser: true,
  });
  configureApp(app, config);
  return app;
}

export function configureApp(app: INestApplication & NestExpressApplication, config: AppConfig): void {
  app.setGlobalPrefix('api');
  app.useBodyParser('json', { limit: '2mb' });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  if (config.corsOrigins.length) {
    app.enableCors({ origin: [...config.corsOrigins], credentials: true });
  }
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('MT Ink Dashboard API')
      .setDescription('Sales, Spotify and uploads of MT Ink. Times are ISO 8601 with offset; money in the base currency.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .addCookieAuth('mtink_session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
  new Logger('Bootstrap').verbose(`business time zone ${config.businessTimezone}, base currency ${config.baseCurrency}`);
}
