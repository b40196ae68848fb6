import type { ArgumentsHost } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { describeDatabaseError, isDatabaseUnavailable, isUnstorableText } from './database-unavailable';
import { ProblemDetailsFilter } from './problem-details.filter';

/** A Node socket error, as pg's client emits it when the server is not there. */
const socketError = (code: string, message: string) =>
  Object.assign(new Error(message), { errno: -111, code, syscall: 'connect', address: '127.0.0.1', port: 54329 });

/** A server error, as pg-protocol builds it from an ErrorResponse message. */
const serverError = (code: string, message: string, severity = 'FATAL') => Object.assign(new DatabaseError(message, 100, 'error'), { code, severity });

const UNAVAILABLE: Array<[string, unknown]> = [
  ['ECONNREFUSED (nothing listening)', socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:54329')],
  [
    'ECONNREFUSED over IPv4 and IPv6 (Node 20 AggregateError)',
    Object.assign(
      new AggregateError(
        [socketError('ECONNREFUSED', 'connect ECONNREFUSED ::1:54329'), socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:54329')],
        '',
      ),
      { code: 'ECONNREFUSED' },
    ),
  ],
  ['ECONNRESET (server gone mid-query)', socketError('ECONNRESET', 'read ECONNRESET')],
  ['57P01 admin shutdown (restart, pg_terminate_backend)', serverError('57P01', 'terminating connection due to administrator command')],
  ['57P03 cannot connect now (starting up)', serverError('57P03', 'the database system is starting up')],
  ['57P03 cannot connect now (shutting down)', serverError('57P03', 'the database system is shutting down')],
  ['08000 connection exception', serverError('08000', 'connection exception', 'ERROR')],
  ['08003 connection does not exist', serverError('08003', 'connection does not exist', 'ERROR')],
  ['08006 connection failure', serverError('08006', 'connection failure')],
  ['53300 too many connections', serverError('53300', 'sorry, too many clients already')],
  ['55000 database not accepting connections', serverError('55000', 'database "fv" is not currently accepting connections')],
  ['Connection terminated (pg, no code)', new Error('Connection terminated')],
  ['Connection terminated unexpectedly', new Error('Connection terminated unexpectedly')],
  [
    'Connection terminated due to connection timeout',
    Object.assign(new Error('Connection terminated due to connection timeout'), { cause: new Error('Connection terminated unexpectedly') }),
  ],
  ['pool timeout', new Error('timeout exceeded when trying to connect')],
  ['client not queryable after an error', new Error('Client has encountered a connection error and is not queryable')],
  [
    'TypeORM QueryFailedError wrapping 57P01',
    new QueryFailedError(
      'SELECT state FROM read_models.family_view WHERE family_id = $1',
      ['x'],
      serverError('57P01', 'terminating connection due to administrator command'),
    ),
  ],
  ['TypeORM QueryFailedError wrapping ECONNREFUSED', new QueryFailedError('SELECT 1', [], socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:54329'))],
  ['an error with the pg error as cause', new Error('append failed', { cause: serverError('57P01', 'terminating connection due to administrator command') })],
];

const NOT_UNAVAILABLE: Array<[string, unknown]> = [
  ['23505 unique violation', serverError('23505', 'duplicate key value violates unique constraint "events_pkey"', 'ERROR')],
  ['22P02 invalid text representation', serverError('22P02', 'invalid input syntax for type uuid: "x"', 'ERROR')],
  ['42P01 undefined table', serverError('42P01', 'relation "read_models.family_view" does not exist', 'ERROR')],
  ['TypeORM QueryFailedError wrapping a syntax error', new QueryFailedError('SELEC 1', [], serverError('42601', 'syntax error at or near "SELEC"', 'ERROR'))],
  ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'members')")],
  ['a string', 'ECONNREFUSED'],
  ['null', null],
];

describe('isDatabaseUnavailable', () => {
  it.each(UNAVAILABLE)('recognises %s', (_name, error) => expect(isDatabaseUnavailable(error)).toBe(true));
  it.each(NOT_UNAVAILABLE)('leaves %s to the 500 path', (_name, error) => expect(isDatabaseUnavailable(error)).toBe(false));

  it('names the failure by its codes, without host, port or SQL', () => {
    expect(describeDatabaseError(new QueryFailedError('SELECT 1', [], socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:54329')))).toBe(
      'database unavailable (ECONNREFUSED)',
    );
    expect(describeDatabaseError(new Error('Connection terminated unexpectedly'))).toBe('database unavailable');
    expect(describeDatabaseError(serverError('42P01', 'relation "x" does not exist', 'ERROR'))).toBe('database query failed (42P01)');
  });
});

describe('ProblemDetailsFilter: database unavailable', () => {
  function answer(error: unknown) {
    const reply = { statusCode: 0, headers: {} as Record<string, string>, body: undefined as unknown };
    const fake = {
      status: (s: number) => ((reply.statusCode = s), fake),
      header: (k: string, v: string) => ((reply.headers[k] = v), fake),
      send: (b: unknown) => ((reply.body = b), fake),
    };
    const host = { switchToHttp: () => ({ getRequest: () => ({ url: '/families/x' }), getResponse: () => fake }) } as unknown as ArgumentsHost;
    new ProblemDetailsFilter().catch(error, host);
    return reply;
  }
  let warn: jest.SpyInstance;
  let errorLog: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    errorLog = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it.each(UNAVAILABLE)('answers %s with 503, Retry-After and no internals, and logs it as a warning', (_name, error) => {
    const reply = answer(error);
    expect(reply.statusCode).toBe(503);
    expect(reply.headers['retry-after']).toBe('5');
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.body).toEqual({
      type: 'urn:familievedtak:problem:database-unavailable',
      title: 'Service Unavailable',
      status: 503,
      detail: 'The database is unavailable at the moment. Try again in 5 seconds.',
      code: 'DATABASE_UNAVAILABLE',
      instance: '/families/x',
    });
    expect(JSON.stringify(reply.body)).not.toMatch(/127\.0\.0\.1|54329|SELECT|terminating|ECONN|57P0/);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(errorLog).not.toHaveBeenCalled();
  });

  it.each(NOT_UNAVAILABLE.filter(([name]) => name !== 'null'))('still answers %s with a generic 500 (logged as an error)', (_name, error) => {
    const reply = answer(error);
    expect(reply.statusCode).toBe(500);
    expect(reply.headers['retry-after']).toBeUndefined();
    expect(errorLog).toHaveBeenCalledTimes(1);
  });
});

describe('isUnstorableText', () => {
  const jsonSyntax = (detail?: string) => Object.assign(serverError('22P02', 'invalid input syntax for type json', 'ERROR'), { detail });
  it('recognises a lone surrogate refused by jsonb, bare or wrapped, and invalid UTF-8', () => {
    expect(isUnstorableText(jsonSyntax('Unicode low surrogate must follow a high surrogate.'))).toBe(true);
    expect(isUnstorableText(new Error('append failed', { cause: jsonSyntax('Unicode high surrogate must not follow a high surrogate.') }))).toBe(true);
    expect(isUnstorableText(new QueryFailedError('INSERT', [], serverError('22P05', 'unsupported Unicode escape sequence', 'ERROR')))).toBe(true);
    expect(isUnstorableText(serverError('22021', 'invalid byte sequence for encoding "UTF8": 0xff', 'ERROR'))).toBe(true);
  });
  it('leaves other invalid input (our own bugs) to the 500 path', () => {
    expect(isUnstorableText(serverError('22P02', 'invalid input syntax for type uuid: "x"', 'ERROR'))).toBe(false);
    expect(isUnstorableText(jsonSyntax('Token "x" is invalid.'))).toBe(false);
    expect(isUnstorableText(new Error('Unicode'))).toBe(false);
  });
});
