import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { DescribeAccess } from './access-subjects';

export const READS_FAMILY_DATA = Symbol('READS_FAMILY_DATA');

/**
 * Marks a route whose response contains family data: the ReadAuditInterceptor records every
 * call (permit or deny) before the response is sent. `describe` says what the body exposed.
 */
export const ReadsFamilyData = (describe: DescribeAccess) =>
  applyDecorators(
    SetMetadata(READS_FAMILY_DATA, describe),
    ApiHeader({ name: 'X-Purpose', required: false, description: "Why the data is read (recorded in the read audit; default 'casework')" }),
  );
