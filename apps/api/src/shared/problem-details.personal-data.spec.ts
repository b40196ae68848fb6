import { Logger, type ArgumentsHost } from '@nestjs/common';
import { ErasureNotDue, RecordErased } from '@familievedtak/domain';
import { PersonalDataErasedError, PersonalDataIntegrityError } from '@familievedtak/event-store';
import { statusOfCode } from './openapi/problem-codes';
import { ProblemDetailsFilter } from './problem-details.filter';

/** How the API answers the errors of crypto-shredding and erasure (docs/operations/retention-and-erasure.md). */
describe('ProblemDetailsFilter: erased and unreadable personal data', () => {
  function answer(error: unknown) {
    const reply = { statusCode: 0, headers: {} as Record<string, string>, body: undefined as unknown as Record<string, unknown> };
    const fake = {
      status: (s: number) => ((reply.statusCode = s), fake),
      header: (k: string, v: string) => ((reply.headers[k] = v), fake),
      send: (b: Record<string, unknown>) => ((reply.body = b), fake),
    };
    const host = {
      switchToHttp: () => ({ getRequest: () => ({ url: '/families/f-1/needs', id: 'req-1' }), getResponse: () => fake }),
    } as unknown as ArgumentsHost;
    new ProblemDetailsFilter().catch(error, host);
    return reply;
  }
  let errorLog: jest.SpyInstance;
  beforeEach(() => (errorLog = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined)));
  afterEach(() => jest.restoreAllMocks());

  it('PERSONAL_DATA_ERASED: 410 Gone, the store’s message, nothing logged as an error', () => {
    const reply = answer(new PersonalDataErasedError('family-f-1', ['need/n-1']));
    expect(reply.statusCode).toBe(410);
    expect(reply.body).toMatchObject({ status: 410, code: 'PERSONAL_DATA_ERASED', title: 'Personal data erased', detail: expect.stringContaining('need/n-1') });
    expect(errorLog).not.toHaveBeenCalled();
    expect(statusOfCode('PERSONAL_DATA_ERASED')).toBe(410);
  });

  it('PERSONAL_DATA_INTEGRITY: 500 with a clear title and no internals to the caller; the details in an error log line', () => {
    const reply = answer(new PersonalDataIntegrityError('family-f-1', 'need/n-1', 'its wrapped key does not open under KEK "k1"', 'e-1', 'words'));
    expect(reply.statusCode).toBe(500);
    expect(reply.body).toMatchObject({ status: 500, code: 'PERSONAL_DATA_INTEGRITY', title: 'Personal data cannot be read', requestId: 'req-1' });
    expect(JSON.stringify(reply.body)).not.toContain('KEK');
    expect(errorLog).toHaveBeenCalledWith(
      expect.objectContaining({ requestId: 'req-1', streamId: 'family-f-1', keyRef: 'need/n-1', msg: expect.stringContaining('does not open under KEK "k1"') }),
    );
  });

  it('the domain’s erasure errors by their kind: ERASURE_NOT_DUE and RECORD_ERASED 409', () => {
    expect(answer(new ErasureNotDue([{ keyRef: 'need/n-1', why: 'kept' }])).body).toMatchObject({ status: 409, code: 'ERASURE_NOT_DUE' });
    expect(answer(new RecordErased('need/n-1', 'need', { on: '2031-02-01', provision: 'GDPR art. 17(1)', rule: null })).body).toMatchObject({
      status: 409,
      code: 'RECORD_ERASED',
    });
  });
});
