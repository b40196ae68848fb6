import { ExecutionContext, Global, Module } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DENIAL_RECORDER, DenialRecorder } from '../auth/denial-recorder';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { clockProvider } from '../shared/clock.provider';
import { askedFor } from './access-subjects';
import { READS_FAMILY_DATA } from './reads-family-data.decorator';
import { ReadAuditController } from './read-audit.controller';
import { ReadAuditInterceptor } from './read-audit.interceptor';
import { ReadAuditService } from './read-audit.service';

/** Records refusals by the auth guard (a verified user acting as something not granted) on audited routes. */
const denialRecorder = {
  provide: DENIAL_RECORDER,
  inject: [Reflector, ReadAuditService],
  useFactory: (reflector: Reflector, audit: ReadAuditService): DenialRecorder => ({
    async recordDenied(context: ExecutionContext, reader, status) {
      if (!reflector.get(READS_FAMILY_DATA, context.getHandler())) return;
      const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
      await audit.record(request, reader, 'deny', status, askedFor(request));
    },
  }),
};

/** The read audit: the interceptor (global, see createApp), the store (audit.read_access) and the auditors' query. */
@Global()
@Module({
  controllers: [ReadAuditController],
  // The interceptor is made global by createApp, chained with the idempotency interceptor (one Nest interceptor for both).
  providers: [ReadAuditService, clockProvider, denialRecorder, ReadAuditInterceptor],
  exports: [ReadAuditService, DENIAL_RECORDER, ReadAuditInterceptor],
})
export class ReadAuditModule {}
