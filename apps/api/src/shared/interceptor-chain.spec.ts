import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { catchError, finalize, lastValueFrom, map, of, throwError, type Observable } from 'rxjs';
import { InterceptorChain } from './interceptor-chain';

/** The chain behaves like Nest's own chaining of global interceptors: order, laziness, errors. */
describe('InterceptorChain', () => {
  const context = {} as ExecutionContext;
  const handler = (result: () => Observable<unknown>): CallHandler & { calls: number } => {
    const h = { calls: 0, handle: () => (h.calls++, result()) };
    return h;
  };
  const tagging = (tag: string, log: string[]): NestInterceptor => ({
    intercept: (_context, next) => {
      log.push(`${tag} in`);
      return next.handle().pipe(
        map((body) => `${tag}(${String(body)})`),
        finalize(() => log.push(`${tag} done`)),
      );
    },
  });

  it('runs the first interceptor outermost, each around the next, the handler innermost', async () => {
    const log: string[] = [];
    const chain = new InterceptorChain([tagging('audit', log), tagging('idempotency', log)]);
    expect(
      await lastValueFrom(
        chain.intercept(
          context,
          handler(() => of('body')),
        ),
      ),
    ).toBe('audit(idempotency(body))');
    expect(log).toEqual(['audit in', 'idempotency in', 'idempotency done', 'audit done']);
  });

  it('calls the next interceptor only when the outer one subscribes', async () => {
    const log: string[] = [];
    const inner = handler(() => of('body'));
    // Asks for the next handler's observable but never subscribes to it.
    const skipping: NestInterceptor = { intercept: (_context, next) => (next.handle(), of('answered early')) };
    const chain = new InterceptorChain([skipping, tagging('never', log)]);
    expect(await lastValueFrom(chain.intercept(context, inner))).toBe('answered early');
    expect(log).toEqual([]);
    expect(inner.calls).toBe(0);
  });

  it('a throw inside an inner interceptor reaches the outer one as an error, not past it', async () => {
    const seen: unknown[] = [];
    const outer: NestInterceptor = {
      intercept: (_context, next) => next.handle().pipe(catchError((error) => (seen.push(error), throwError(() => error)))),
    };
    const refusing: NestInterceptor = {
      intercept: () => {
        throw new Error('key in flight');
      },
    };
    const chain = new InterceptorChain([outer, refusing]);
    await expect(
      lastValueFrom(
        chain.intercept(
          context,
          handler(() => of('body')),
        ),
      ),
    ).rejects.toThrow('key in flight');
    expect(seen).toEqual([new Error('key in flight')]);
  });

  it('takes an interceptor that answers with a promise of an observable', async () => {
    const async: NestInterceptor = { intercept: async (_context, next) => next.handle().pipe(map((b) => `async(${String(b)})`)) };
    expect(
      await lastValueFrom(
        new InterceptorChain([async]).intercept(
          context,
          handler(() => of('body')),
        ),
      ),
    ).toBe('async(body)');
  });
});
