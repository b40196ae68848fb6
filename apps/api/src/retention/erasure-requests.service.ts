import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { deterministicUuid, StaleRevisionError } from '@familievedtak/application';
import { PG_POOL } from '@familievedtak/database';
import {
  decideFamily,
  ERASURE_ON_REQUEST_PROVISION,
  keyRefCategory,
  localDateOf,
  type DecisionContext,
  type ErasureRefused,
  type ErasureRequest,
  type FamilyRecordCategory,
  type PersonalDataErased,
  type RequestErasure,
} from '@familievedtak/domain';
import { Clock, KEY_STORE, KeyStore, WrongExpectedVersionError } from '@familievedtak/event-store';
import type { Pool } from 'pg';
import { familyStream, FamilyCommandsService } from '../families/family-commands.service';
import { CLOCK } from '../shared/clock.provider';
import type { CommandOutcome, RequestInfo } from '../shared/command-envelope';
import { RuleSetRegistry } from '../rules/rule-set-registry.service';
import { deleteLetterCopies, shredFamilyKeys } from './family-erasure';
import { RetentionSchedules } from './retention-schedules.service';

/** The request as the caller sends it (the schedule is the application's, never the caller's). */
export type ErasureRequestInput = Omit<RequestErasure['data'], 'schedule'>;

export type ErasureRequestOutcome = CommandOutcome & {
  requestId: string;
  memberId: string;
  categories: FamilyRecordCategory[] | 'all';
  receivedOn: string;
  /** The schedule the outcomes were decided under (`<id>@v<version>`). */
  schedule: string;
  erased: Array<{ keyRef: string; category: FamilyRecordCategory }>;
  refused: Array<Omit<ErasureRefused['data'], 'requestId' | 'at' | 'by'>>;
  alreadyErased: string[];
};

/** Attempts when another command lands on the family between deciding and appending. */
const ATTEMPTS = 3;

/**
 * Erasure on request (GDPR art. 17; design § 7). The domain decides every outcome
 * (RequestErasure: erased, or refused with the reason and the provision); the erasures it
 * decides are carried out like the job's: the keys are shredded first (tombstone: the day, no
 * rule, GDPR art. 17(1), who, the request id as erasure id), then the request's events are
 * appended through the one command path, pinned to the revision decided on. Bad input, a caller
 * without a part, an unknown member: the domain refuses before anything is shredded or stored.
 */
@Injectable()
export class ErasureRequests {
  private readonly logger = new Logger('erasure-requests');

  constructor(
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly families: FamilyCommandsService,
    private readonly schedules: RetentionSchedules,
    private readonly ruleSets: RuleSetRegistry,
  ) {}

  async request(familyId: string, input: ErasureRequestInput, request: RequestInfo): Promise<ErasureRequestOutcome> {
    const streamId = familyStream(familyId);
    const adopted = await this.schedules.inForceOn(localDateOf(this.clock.now()));
    // A retry with the same Idempotency-Key names the same request (and so the same tombstones).
    const requestId = input.requestId ?? (request.idempotencyKey ? deterministicUuid(streamId, request.idempotencyKey, 'erasure-request') : randomUUID());
    const command: RequestErasure = { type: 'RequestErasure', data: { ...input, requestId, schedule: adopted.schedule } };
    let outcome: CommandOutcome | undefined;
    for (let attempt = 1; !outcome; attempt++) {
      const { state, revision } = await this.families.load(familyId);
      if (request.expectedRevision !== undefined && request.expectedRevision !== revision)
        throw new StaleRevisionError(streamId, request.expectedRevision, revision);
      // Recorded already: the command path answers (a replay for the same key, else ALREADY_EXISTS); nothing is shredded again.
      if (!state.erasureRequests?.[requestId]) {
        const decided = decideFamily(command, state, await this.context(request));
        // Decided, so it will be recorded: the schedule version its outcomes name goes into the log first.
        await this.schedules.adoptShipped();
        const erased = decided.filter((e): e is PersonalDataErased => e.type === 'PersonalDataErased').flatMap((e) => e.data.keyRefs);
        await this.shred(familyId, erased, request.actor.userId, requestId);
      }
      try {
        outcome = await this.families.execute(familyId, command, { ...request, expectedRevision: revision });
      } catch (error) {
        // Another command came between: decide again on the new state (unless the caller pinned the revision).
        if (!(error instanceof WrongExpectedVersionError) || request.expectedRevision !== undefined || attempt >= ATTEMPTS) throw error;
      }
    }
    const { state } = await this.families.load(familyId);
    const recorded = state.erasureRequests[requestId] as ErasureRequest;
    // What the log records as erased must be shredded: should the day have turned between deciding and
    // appending (another plan), the keys the event names go now (the shred is idempotent).
    const missed = await this.shred(familyId, recorded.erased, request.actor.userId, requestId);
    if (missed.length) this.logger.warn(`erasure request ${requestId} of family ${familyId}: shredded after the event: ${missed.join(', ')}`);
    return {
      ...outcome,
      requestId,
      memberId: recorded.memberId,
      categories: recorded.categories,
      receivedOn: recorded.receivedOn,
      schedule: adopted.ref,
      erased: recorded.erased.map((keyRef) => ({ keyRef, category: (keyRefCategory(keyRef) ?? 'case') as FamilyRecordCategory })),
      refused: recorded.refused,
      alreadyErased: recorded.alreadyErased,
    };
  }

  /** Shreds the keys (on request: no rule, GDPR art. 17(1)) and deletes the copies of erased letters; returns the keys erased now. */
  private async shred(familyId: string, keyRefs: string[], by: string, requestId: string): Promise<string[]> {
    if (keyRefs.length === 0) return [];
    const on = localDateOf(this.clock.now());
    const erased = await shredFamilyKeys(
      this.keys,
      familyStream(familyId),
      keyRefs.map((keyRef) => ({ keyRef, rule: null, provision: ERASURE_ON_REQUEST_PROVISION })),
      { on, by, erasureId: requestId },
    );
    const letters = keyRefs.filter((k) => k.startsWith('letter/')).map((k) => k.slice('letter/'.length));
    await deleteLetterCopies(this.pool, familyId, letters);
    return erased;
  }

  /** The decision context the command path will use (FamilyCommandsService builds the same from the same sources). */
  private async context(request: RequestInfo): Promise<DecisionContext> {
    const now = this.clock.now();
    const rules = await this.ruleSets.snapshot();
    return { now, newId: randomUUID, actor: request.actor, ruleSet: rules.inForceOn(localDateOf(now)), ruleSetOn: rules.inForceOn };
  }
}
