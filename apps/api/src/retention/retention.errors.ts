import { DomainError, type LocalDate } from '@familievedtak/domain';

/**
 * Refusals of the retention job, erasure on request and the archive export that come from the
 * application (the domain's own are in libs/domain/src/retention/erasure.errors.ts). DomainError
 * subclasses, so the problem-details filter maps them by kind like the domain's, and the OpenAPI
 * problem codes read their status off them (shared/openapi/problem-codes.ts).
 */

/** No retention schedule version (adopted, or shipped to be adopted) applies on the day: nothing can be planned or erased. */
export class RetentionScheduleNotAdopted extends DomainError {
  readonly code = 'RETENTION_SCHEDULE_NOT_ADOPTED';
  readonly kind = 'conflict';
  constructor(day: LocalDate) {
    super(`No retention schedule applies on ${day}; the retention job and erasure requests need one in force.`, { day });
  }
}

/** Another retention run holds the lock (another instance, the CLI, the daily schedule). */
export class RetentionRunInProgress extends DomainError {
  readonly code = 'RETENTION_RUN_IN_PROGRESS';
  readonly kind = 'conflict';
  constructor() {
    super('A retention run is in progress (in this or another process); try again when it has finished.');
  }
}

/** Only a closed case goes to the archives: while a unit has a part, the case is still being worked on. */
export class CaseNotClosed extends DomainError {
  readonly code = 'CASE_NOT_CLOSED';
  readonly kind = 'conflict';
  constructor(familyId: string) {
    super(`The case of family ${familyId} is not closed: a unit still has a part in it. Only a closed case is exported for the archives.`, { familyId });
  }
}

/**
 * The family has a member with a protected address (fortrolig / strengt fortrolig) and the caller is
 * not cleared for it: the package holds everything unmasked, so it is not handed out.
 */
export class ArchiveExportNeedsClearance extends DomainError {
  readonly code = 'ARCHIVE_EXPORT_NEEDS_CLEARANCE';
  readonly kind = 'forbidden';
  constructor(familyId: string) {
    super(
      `Family ${familyId} has a member with a protected address; the archive package holds every detail unmasked, so only a caller cleared for protected addresses may export it.`,
      { familyId },
    );
  }
}
