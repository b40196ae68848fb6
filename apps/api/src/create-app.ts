import { parse as parseQueryString } from 'node:querystring';
import { Logger, LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
    new FastifyAdapter({ bodyLimit: 256 * 1024, frameworkErrors: answerFrameworkError }),
    // Body parsers are registered below (JSON behind a nesting limit), not by Nest at init.
    { logger, bodyParser: false },
  );
  await registerHardening(app.getHttpAdapter().getInstance(), auth, config.rateLimitPerMinute);
  // Delegation rule-set documents may be posted as YAML (POST /rule-sets): the body stays text.
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(['text/yaml', 'application/yaml', 'application/x-yaml'], { parseAs: 'string' }, (_req, body, done) =>
      String(body).includes('\u0000') ? done(Object.assign(new Error('Text in the request may not contain NUL characters.'), { statusCode: 400 }), undefined) : done(null, body),
    );
  refuseDeepJson(app.getHttpAdapter().getInstance());
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

/**
 * Fastify's router refuses some URLs before any route (and so the problem-details filter) sees
 * them: bad percent-encoding (400) and an over-long path parameter (414). They get problem
 * details too, without echoing the URL.
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const detail =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'A path segment of the URL is too long.'
      : error.code === 'FST_ERR_BAD_URL'
        ? 'The URL is not valid (bad percent-encoding).'
        : 'The request could not be routed.';
  void reply
    .status(status)
    .header('content-type', 'application/problem+json')
    .send({ type: `urn:familievedtak:problem:http-${status}`, title: status === 414 ? 'URI Too Long' : 'Bad Request', status, detail });
}

/** Whether a parsed JSON value has a NUL in a string or key: PostgreSQL text and jsonb cannot store one (500). */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > MAX_JSON_DEPTH || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => containsNul(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v, depth + 1));
}

/** Deepest JSON nesting a request body may have: the DTOs need a handful of levels, not thousands. */
export const MAX_JSON_DEPTH = 64;

/** Nesting depth of a JSON text (brackets outside strings), stopping once past the limit. */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/**
 * Replaces Fastify's JSON body parser with the same parser (prototype poisoning refused) behind
 * a nesting limit: a body nested thousands deep overflowed the stack of validation (500).
 */
function refuseDeepJson(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  // As Nest registers it when it owns the body parsers.
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, parseQueryString(body as string)));
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDepth(body as string) > MAX_JSON_DEPTH) {
      const error = Object.assign(new Error(`The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`), { statusCode: 400 });
      done(error, undefined);
      return;
    }
    parse(request, body as string, (error, value) => {
      if (!error && containsNul(value)) {
        done(Object.assign(new Error('Text in the request may not contain NUL characters (\\u0000).'), { statusCode: 400 }), undefined);
        return;
      }
      done(error, value);
    });
  });
}
