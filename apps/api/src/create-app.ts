import type { Socket } from 'node:net';
import { Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@familievedtak/database';
import { AppModule } from './app.module';
import { AuthSettings } from './auth/auth-settings';
import { HttpSettings, readHttpSettings, registerHardening } from './hardening';
import { CanonicalIdsPipe } from './shared/canonical-ids';
import { IdempotencyInterceptor } from './shared/idempotency.interceptor';
import { InterceptorChain } from './shared/interceptor-chain';
import { ApiLogger, defaultLogger, nestLoggerFor } from './shared/logger';
import { memoiseValidationMetadata } from './shared/validation-metadata-cache';
import { ReadAuditInterceptor } from './read-audit/read-audit.interceptor';
import { httpProblem, ProblemDetailsFilter } from './shared/problem-details.filter';
import { registerBodyParsers } from './shared/request-body';
import { registerRequestLog, REQUEST_ID_HEADER, requestIdFor } from './shared/request-log';
import { withRuleSetDocumentSchema } from './shared/openapi/rule-set-schema';

/**
 * Builds the API (Fastify adapter, OpenAPI at /docs and /docs-json); main.ts and the e2e tests share it.
 * `logger`: the pino logger for Nest's lines and the access log (default: stdout at LOG_LEVEL);
 * `false`: no lines at all (request ids are still given and echoed).
 */
export async function createApp(
  config: AppConfig,
  auth: AuthSettings,
  logger: ApiLogger | false = defaultLogger(),
  http: HttpSettings = readHttpSettings(process.env),
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, auth),
    new FastifyAdapter({
      bodyLimit: 256 * 1024,
      frameworkErrors: answerFrameworkError,
      clientErrorHandler: answerClientError,
      trustProxy: http.trustProxy,
      // A UUID per request (or the caller's sane X-Request-Id), not Fastify's per-process `req-N`:
      // it names the request in the access log, in problem details and in the read audit.
      genReqId: requestIdFor,
    }),
    // Body parsers are registered below (JSON and forms under limits, YAML as text), not by Nest at init.
    { logger: logger === false ? false : nestLoggerFor(logger), bodyParser: false },
  );
  registerRequestLog(app.getHttpAdapter().getInstance(), logger === false ? undefined : logger);
  await registerHardening(app.getHttpAdapter().getInstance(), auth, config.rateLimitPerMinute);
  registerBodyParsers(app.getHttpAdapter().getInstance());
  memoiseValidationMetadata();
  // Unknown fields are refused, not silently dropped: a typo must not pass as "no value".
  // Then ids declared as UUIDs are lowered: one family is one stream, whatever the case sent.
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }), new CanonicalIdsPipe());
  // The read audit outermost (a reused or in-flight idempotency key on an audited route is
  // recorded as a deny), the idempotency check inside it: the order Nest gave them as two.
  app.useGlobalInterceptors(new InterceptorChain([app.get(ReadAuditInterceptor), new IdempotencyInterceptor()]));
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
  withRuleSetDocumentSchema(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

export const apiLogger = new Logger('api');

/**
 * Fastify's router refuses some URLs before any route (and so the problem-details filter) sees
 * them: bad percent-encoding (400) and an over-long path parameter (414). They get problem
 * details too, without echoing the URL.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
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
    .header(REQUEST_ID_HEADER, request.id)
    .send({ ...httpProblem(status, detail), requestId: String(request.id) });
}

/**
 * Node's HTTP parser refuses some requests before Fastify has a request at all (headers over
 * 16 KiB: 431, a timeout: 408, malformed HTTP: 400); Fastify's default answer is its own JSON.
 * They get problem details like every other refusal.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const problem =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? httpProblem(431, 'The request headers are larger than the server accepts (16 KiB in all).')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? httpProblem(408, 'The request was not received in time.', 'REQUEST_TIMEOUT')
        : httpProblem(400, 'The request is not valid HTTP.');
  if (socket.writable) {
    const body = JSON.stringify(problem);
    socket.write(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\nConnection: close\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
