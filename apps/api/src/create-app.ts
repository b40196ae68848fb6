import { Logger, LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@familievedtak/database';
import { AppModule } from './app.module';
import { AuthSettings } from './auth/auth-settings';
import { registerHardening } from './hardening';
import { ProblemDetailsFilter } from './shared/problem-details.filter';

/** Builds the API (Fastify adapter, OpenAPI at /docs and /docs-json); main.ts and the e2e tests share it. */
export async function createApp(
  config: AppConfig,
  auth: AuthSettings,
  logger: LogLevel[] | false = ['log', 'warn', 'error'],
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, auth),
    new FastifyAdapter({ bodyLimit: 256 * 1024 }),
    { logger },
  );
  await registerHardening(app.getHttpAdapter().getInstance(), auth, config.rateLimitPerMinute);
  // Delegation rule-set documents may be posted as YAML (POST /rule-sets): the body stays text.
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(['text/yaml', 'application/yaml', 'application/x-yaml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  // Unknown fields are refused, not silently dropped: a typo must not pass as "no value".
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new ProblemDetailsFilter());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('familievedtak')
      .setDescription('Event-sourced family case backend: one stream per family, one decision view across the units.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

export const apiLogger = new Logger('api');
