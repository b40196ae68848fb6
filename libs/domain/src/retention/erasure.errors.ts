import { DomainError } from '../shared/domain-error';
import type { LocalDate } from '../shared/local-date';

/** EraseDueRecords named a key ref the schedule in force does not make due today (or one already erased): nothing is erased. */
export class ErasureNotDue extends DomainError {
  readonly code = 'ERASURE_NOT_DUE';
  readonly kind = 'conflict';
  constructor(readonly notDue: { keyRef: string; why: string }[]) {
    super(`Not due for erasure under the retention schedule in force: ${notDue.map((n) => `${n.keyRef} (${n.why})`).join('; ')}.`, {
      notDue: notDue.map((n) => ({ keyRef: n.keyRef, why: n.why })),
    });
  }
}

/** The erasure id was used before for other key refs: an id names one erasure (the tombstones carry it). */
export class ErasureIdConflict extends DomainError {
  readonly code = 'ERASURE_ID_CONFLICT';
  readonly kind = 'conflict';
  constructor(erasureId: string) {
    super(`Erasure ${erasureId} was recorded before with other records; use a new erasure id.`, { erasureId });
  }
}

/** A command carried a schedule that does not apply yet on the day it is decided. */
export class RetentionScheduleNotInForce extends DomainError {
  readonly code = 'RETENTION_SCHEDULE_NOT_IN_FORCE';
  readonly kind = 'conflict';
  constructor(scheduleId: string, version: number, effectiveFrom: LocalDate) {
    super(`Retention schedule ${scheduleId} version ${version} applies from ${effectiveFrom}, not yet today.`, { scheduleId, version, effectiveFrom });
  }
}

/** The person named as asking may not ask for this member's erasure (GDPR art. 12 and 17: the data subject or who acts for them). */
export class ErasureRequesterNotPermitted extends DomainError {
  readonly code = 'ERASURE_REQUESTER_NOT_PERMITTED';
  readonly kind = 'invalid';
  constructor(memberId: string, requesterId: string, explanation: string) {
    super(`Member ${requesterId} cannot ask for the erasure of member ${memberId}'s records: ${explanation}`, { memberId, requesterId });
  }
}

/**
 * A command about a record whose personal data was erased (GDPR art. 17; the retention schedule or
 * a request): the key that held its text is destroyed for good and never made again, so the record
 * can take no more text and no act that needs what it said. 409: the record's state forbids it,
 * for good. The event store refuses such an append too (PERSONAL_DATA_ERASED); this comes first
 * and says which record, when and under what.
 */
export class RecordErased extends DomainError {
  readonly code = 'RECORD_ERASED';
  readonly kind = 'conflict';
  constructor(keyRef: string, what: string, erased: { on: LocalDate; provision: string | null; rule: string | null }, hint?: string) {
    super(
      `The ${what} (${keyRef}) was erased on ${erased.on}${erased.rule ? ` under ${erased.rule}` : ''} (${erased.provision ?? 'GDPR art. 17'}): its personal data is gone for good, so it can no longer be acted on.${hint ? ` ${hint}` : ''}`,
      { keyRef, erasedOn: erased.on, rule: erased.rule, provision: erased.provision },
    );
  }
}
