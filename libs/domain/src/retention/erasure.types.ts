import type { ActorRef } from '../shared/actor';
import type { DomainCommand, DomainEvent } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';
import type { Stamp } from '../shared/stamp';
import type { FamilyRecordCategory, RecordCategory, RetentionRuleRef, RetentionSchedule } from './retention-schedule';

/**
 * Erasure in the family stream (docs/design/retention-and-erasure.md §§ 5, 7): the key is
 * shredded first, then PersonalDataErased records it; an erasure request (GDPR art. 17) is
 * recorded with an outcome per record: erased (PersonalDataErased naming the request) or
 * refused (ErasureRefused with the reason and the provision). Decided in erasure.decide.ts,
 * folded in erasure.evolve.ts.
 */

// ---------------------------------------------------------------- events

/**
 * Records whose keys were destroyed. One event per schedule entry (`rule`) for the retention
 * job; one per request (`rule` null, `requestId` set). `on` is the erasure day; who did it is
 * in the stamp. Several events of one command share the `erasureId` (the tombstones' erasure id).
 */
export type PersonalDataErased = DomainEvent<
  'PersonalDataErased',
  Stamp & {
    erasureId: string;
    keyRefs: string[];
    subjects: string[];
    categories: FamilyRecordCategory[];
    on: LocalDate;
    rule: RetentionRuleRef | null;
    requestId: string | null;
  }
>;

export const ERASURE_REQUEST_CHANNELS = ['in-writing', 'orally', 'digitally'] as const;
export type ErasureRequestChannel = (typeof ERASURE_REQUEST_CHANNELS)[number];

/** Who asked: the member, a holder of parental responsibility for a child, or an authorised representative (fullmektig, fvl § 12). */
export type ErasureRequester = { kind: 'member'; memberId: string } | { kind: 'representative'; representative: string };

/** GDPR art. 17: the member's request, as received; the outcomes follow in the same append. */
export type ErasureRequested = DomainEvent<
  'ErasureRequested',
  Stamp & {
    requestId: string;
    memberId: string;
    categories: FamilyRecordCategory[] | 'all';
    receivedOn: LocalDate;
    requestedBy: ErasureRequester;
    channel: ErasureRequestChannel;
    /** Records of the member in the asked categories already erased before (the answer names them too). */
    alreadyErased: string[];
  }
>;

/**
 * Why a record is not erased on request:
 * - `kept-for-archives`: the schedule keeps it (art. 17(3)(b), arkivlova);
 * - `retention-duty`: within a period the law or legal claims require (bokføringsloven § 13; art. 17(3)(b)/(e));
 * - `case-open`: needed for the municipality's task while the case is open (art. 17(3)(b));
 * - `consent-in-force`: withdraw the consent first (art. 7(3), 17(1)(b)); it is then kept for its proof period;
 * - `decision-not-final`: the decision still holds or an appeal is open;
 * - `identity-still-needed`: other records of the member are kept, so their name stays with them (identity goes last).
 */
export const ERASURE_REFUSAL_REASONS = [
  'kept-for-archives',
  'retention-duty',
  'case-open',
  'consent-in-force',
  'decision-not-final',
  'identity-still-needed',
] as const;
export type ErasureRefusalReason = (typeof ERASURE_REFUSAL_REASONS)[number];

export type ErasureRefused = DomainEvent<
  'ErasureRefused',
  Stamp & {
    requestId: string;
    keyRef: string;
    category: FamilyRecordCategory;
    reason: ErasureRefusalReason;
    provision: string;
    /** The schedule entry that keeps the record, where one does. */
    rule: RetentionRuleRef | null;
    /** The last day it is kept, where the schedule says (then the retention job erases it); null: no end known yet. */
    keptUntil: LocalDate | null;
    /** For identity-still-needed: the records of the member still kept. */
    keptBecauseOf: string[];
  }
>;

/** An erasure on request rests on the request itself (the provision shown where no schedule rule applies). */
export const ERASURE_ON_REQUEST_PROVISION = 'GDPR art. 17(1)';

export type ErasureEvent = PersonalDataErased | ErasureRequested | ErasureRefused;

export const ERASURE_EVENT_TYPES: Record<ErasureEvent['type'], true> = { PersonalDataErased: true, ErasureRequested: true, ErasureRefused: true };

// ---------------------------------------------------------------- commands

/**
 * From the retention job: erase these key refs (the plan of planRetention). The decider plans
 * again against `schedule` and refuses a key ref that is not due. `schedule` is the schedule in
 * force, filled by the application from the adopted schedule, never from a request body. The
 * same `erasureId` again is a no-op (the job's repair after a crash between shredding and append).
 */
export type EraseDueRecords = DomainCommand<'EraseDueRecords', { erasureId?: string; keyRefs: string[]; schedule: RetentionSchedule }>;

/** GDPR art. 17, recorded by the unit's leader (the role answering for the unit's archive and privacy). */
export type RequestErasure = DomainCommand<
  'RequestErasure',
  {
    requestId?: string;
    memberId: string;
    /** 'all' or some of the family-stream categories (the read audit is purged by its schedule entry only). */
    categories: FamilyRecordCategory[] | 'all';
    receivedOn: LocalDate;
    requestedBy: { memberId: string } | { representative: string };
    channel: ErasureRequestChannel;
    /** The schedule in force, filled by the application. */
    schedule: RetentionSchedule;
  }
>;

export type ErasureCommand = EraseDueRecords | RequestErasure;

// ---------------------------------------------------------------- state

/** An erased record, keyed by its key ref in FamilyState.erasures: views show "erased on <on> under <rule>". */
export type ErasedRecord = {
  keyRef: string;
  category: RecordCategory;
  erasureId: string;
  on: LocalDate;
  rule: RetentionRuleRef | null;
  requestId: string | null;
  /** The rule's provision, or GDPR art. 17(1) for an erasure on request. */
  provision: string;
  at: string;
  by: ActorRef;
};

export type ErasureRequest = Omit<ErasureRequested['data'], 'at' | 'by'> & {
  erased: string[];
  refused: Omit<ErasureRefused['data'], 'requestId' | 'at' | 'by'>[];
  recordedAt: string;
  recordedBy: ActorRef;
};
