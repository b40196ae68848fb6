import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { defer, from, isObservable, mergeAll, type Observable } from 'rxjs';

/**
 * Several interceptors run as one global interceptor, first in the list outermost, exactly as
 * Nest would chain them: each `next.handle()` is deferred until subscribed, and a throw inside
 * an inner interceptor reaches the outer ones as an error. Nest wraps every level of its own
 * chain in AsyncResource.bind (a new async resource and a deprecation getter per request per
 * interceptor, a measurable part of a request's CPU); one entry instead of several saves those.
 * Nothing here relies on async context (no AsyncLocalStorage), which is what the binds carry.
 */
export class InterceptorChain implements NestInterceptor {
  constructor(private readonly chain: readonly NestInterceptor[]) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const run = (i: number): Observable<unknown> => {
      if (i === this.chain.length) return next.handle();
      const handler: CallHandler = { handle: () => defer(() => run(i + 1)) };
      const result = this.chain[i].intercept(context, handler);
      return isObservable(result) ? result : from(result).pipe(mergeAll());
    };
    return run(0);
  }
}
