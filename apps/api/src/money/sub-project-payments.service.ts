import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { assertSameFingerprint, deterministicUuid, eventMetadata, StaleRevisionError } from '@familievedtak/application';
import {
  abandonPayment,
  Actor,
  decideFamily,
  decideSubProject,
  DecisionContext,
  EVENT_SCHEMA_VERSION,
  evolveSubProject,
  FamilyEvent,
  familyStreamId,
  FamilyState,
  foldFamily,
  initialFamilyState,
  initialSubProjectState,
  isDomainError,
  localDateOf,
  PaymentAbandoned,
  PaymentMethod,
  PaymentWasAbandoned,
  RecordPayment,
  RecordSpend,
  ReversePayment,
  SpendRecorded,
  SubProjectEvent,
  SubProjectRef,
  SubProjectState,
  subProjectStreamId,
  upcastSubProjectEvent,
} from '@familievedtak/domain';
import {
  AppendResult,
  Clock,
  EVENT_STORE,
  EventIdConflictError,
  EventStore,
  JsonObject,
  RecordedEvent,
  StreamAppend,
  WrongExpectedVersionError,
} from '@familievedtak/event-store';
import { CLOCK } from '../shared/clock.provider';
import { CommandOutcome, envelopeFor, RequestInfo } from '../shared/command-envelope';
import { RuleSetRegistry } from '../rules/rule-set-registry.service';
import { FoldedStreams } from './folded-streams';
import { KeyedQueue } from './keyed-queue';
import { moneyEventId } from './money-ids';
import { faultKillAfterSpend, PaymentConsistency, paymentConsistency } from './payment-consistency';

/** Attempts for a payment that keeps losing races (other commands on the family, other instances on the budget). */
export const MAX_RACE_RETRIES = 50;
export const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));

const isLostRace = (error: unknown) => error instanceof WrongExpectedVersionError || error instanceof EventIdConflictError;
/**
 * Decide again after a lost race, unless the client pinned the family's revision (If-Match: its
 * conflict is the answer) or the attempts are used up.
 */
const mayRetry = (error: unknown, request: RequestInfo, familyStream: string, attempt: number) =>
  isLostRace(error) &&
  !(request.expectedRevision !== undefined && error instanceof WrongExpectedVersionError && error.streamId === familyStream) &&
  attempt < MAX_RACE_RETRIES;
const expectedOf = (revision: number) => (revision < 0 ? ('no_stream' as const) : revision);

/** The sub-project and its responsible unit from its stream; null when there is no such sub-project. */
export function subProjectRef(state: SubProjectState, subProjectId: string): SubProjectRef | null {
  return state.status === 'none' || !state.responsibleUnit ? null : { subProjectId, responsibleUnit: state.responsibleUnit };
}

export const outcomeEvents = (events: RecordedEvent[]) =>
  events.map((e) => ({ id: e.id, type: e.type, revision: e.revision, globalPosition: e.globalPosition.toString() }));

/** The fingerprint of the request (method, route, body), when the API's idempotency layer supplies one. */
export const fingerprintOf = (request: RequestInfo) => request.idempotencyFingerprint;

/** What a completed spend needs to become the family's payment: the spend's own data (from its event). */
export type SpendToComplete = SpendRecorded['data'];
/** Why the money path gives a payment up (PaymentAbandoned): codes only. */
export type AbandonWhy = Pick<PaymentAbandoned['data'], 'reason' | 'refusal'>;
/** The family's answer on a payment: it stands (its events), or it was abandoned and the spend given back. */
export type FamilyAnswer = { kind: 'recorded'; outcome: CommandOutcome } | { kind: 'abandoned' };

/**
 * Payments from sub-project budgets: the spend on the budget stream and the payment on the
 * family stream, never one without the other (issue 12). See PaymentConsistency for the two
 * ways; both use event ids derived from the payment id (money-ids.ts), so a retry, another
 * instance or the recovery pass can never record the same payment twice.
 */
@Injectable()
export class SubProjectPayments {
  readonly mode: PaymentConsistency;
  readonly families: FoldedStreams<FamilyState>;
  readonly budgets: FoldedStreams<SubProjectState>;
  private readonly budgetQueue = new KeyedQueue();
  private readonly logger = new Logger('money');

  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly ruleSets: RuleSetRegistry,
  ) {
    this.mode = paymentConsistency(store);
    this.families = new FoldedStreams<FamilyState>(
      store,
      (events, state) =>
        foldFamily(
          events.map((e) => ({ type: e.type, data: e.data }) as unknown as FamilyEvent),
          state,
        ),
      initialFamilyState,
    );
    this.budgets = new FoldedStreams<SubProjectState>(
      store,
      (events, state) =>
        events.reduce((s, e) => evolveSubProject(s, upcastSubProjectEvent({ type: e.type, data: e.data } as unknown as SubProjectEvent)), state),
      initialSubProjectState,
    );
  }

  /** Commands on one budget, one at a time in this process (see KeyedQueue). */
  onBudget<T>(subProjectId: string, task: () => Promise<T>): Promise<T> {
    return this.budgetQueue.run(subProjectStreamId(subProjectId), task);
  }

  async context(actor: Actor): Promise<DecisionContext> {
    const now = this.clock.now();
    const rules = await this.ruleSets.snapshot();
    return { now, newId: randomUUID, actor, ruleSet: rules.inForceOn(localDateOf(now)), ruleSetOn: rules.inForceOn };
  }

  /** Who and why, as every event carries it, plus the request's fingerprint for idempotent replays. */
  metadata(commandType: string, request: RequestInfo, ruleSetId: string): JsonObject {
    const metadata = eventMetadata(envelopeFor(commandType, request, ruleSetId), EVENT_SCHEMA_VERSION);
    const fingerprint = fingerprintOf(request);
    if (fingerprint && metadata.idempotencyFingerprint === undefined) metadata.idempotencyFingerprint = fingerprint;
    return metadata;
  }

  /** The payment id of a request: the body's, else derived from the Idempotency-Key (so a retry names the same payment), else new. */
  paymentIdFor(familyId: string, command: RecordPayment, request: RequestInfo): string {
    return command.data.paymentId ?? (request.idempotencyKey ? deterministicUuid('payment', familyStreamId(familyId), request.idempotencyKey) : randomUUID());
  }

  async pay(familyId: string, command: RecordPayment, request: RequestInfo): Promise<CommandOutcome> {
    const { subProjectId } = command.data.funding as { kind: 'sub-project'; subProjectId: string };
    const paymentId = this.paymentIdFor(familyId, command, request);
    if (this.mode === 'atomic') return this.onBudget(subProjectId, () => this.payAtomically(familyId, subProjectId, paymentId, command, request));
    const first = await this.onBudget(subProjectId, () => this.spendFirst(familyId, subProjectId, paymentId, command, request));
    if ('outcome' in first) return first.outcome;
    return this.completeFromSpend(first.spend, request.actor, first.metadata);
  }

  /** The family's payment command for a spend: amount, method, date and recipient all from the spend. */
  paymentFromSpend(spend: SpendToComplete, budget: SubProjectState): RecordPayment {
    const payment = spend.payment!;
    return {
      type: 'RecordPayment',
      data: {
        paymentId: spend.paymentId,
        recipientMemberId: payment.recipientMemberId,
        amountOre: spend.amountOre,
        method: spend.category as PaymentMethod,
        funding: { kind: 'sub-project', subProjectId: spend.subProjectId },
        answersNeedId: payment.answersNeedId,
        answersDecisionId: payment.answersDecisionId,
        documentationRef: payment.documentationRef,
        paidOn: spend.spentOn,
        countsAsIncome: payment.countsAsIncome ?? undefined,
        subProject: subProjectRef(budget, spend.subProjectId),
      },
    };
  }

  /** The budget's spend command for a family payment the family's decider accepted. */
  spendFor(familyId: string, paid: FamilyEvent, command: RecordPayment): RecordSpend {
    const data = paid.data as Extract<FamilyEvent, { type: 'PaymentRecorded' }>['data'];
    return {
      type: 'RecordSpend',
      data: {
        paymentId: data.paymentId,
        amountOre: data.amountOre,
        category: data.method,
        spentOn: data.paidOn,
        familyId,
        payment: {
          recipientMemberId: data.recipientMemberId,
          answersNeedId: data.answersNeedId,
          answersDecisionId: data.answersDecisionId,
          documentationRef: data.documentationRef,
          countsAsIncome: command.data.countsAsIncome ?? null,
        },
      },
    };
  }

  /** A retry of a payment already recorded with this Idempotency-Key: the first answer (same request only). */
  private async replayOf(
    familyStream: string,
    paymentId: string,
    type: 'PaymentRecorded' | 'PaymentReversed',
    request: RequestInfo,
  ): Promise<CommandOutcome | undefined> {
    const key = request.idempotencyKey;
    if (!key) return undefined;
    const whole = await this.families.load(familyStream, { whole: true });
    const earlier = whole.events.filter((e) => e.type === type && e.data.paymentId === paymentId && e.metadata?.idempotencyKey === key);
    if (earlier.length === 0) return undefined;
    assertSameFingerprint(earlier, key, fingerprintOf(request));
    return { streamId: familyStream, revision: whole.revision, replayed: true, events: outcomeEvents(earlier) };
  }

  private async payAtomically(
    familyId: string,
    subProjectId: string,
    paymentId: string,
    command: RecordPayment,
    request: RequestInfo,
  ): Promise<CommandOutcome> {
    const familyStream = familyStreamId(familyId);
    const budgetStream = subProjectStreamId(subProjectId);
    for (let attempt = 1; ; attempt++) {
      const [budget, family] = await Promise.all([this.budgets.load(budgetStream), this.families.load(familyStream)]);
      if (family.state.payments[paymentId]) {
        const replay = await this.replayOf(familyStream, paymentId, 'PaymentRecorded', request);
        if (replay) return replay;
      }
      if (request.expectedRevision !== undefined && request.expectedRevision !== family.revision) {
        throw new StaleRevisionError(familyStream, request.expectedRevision, family.revision);
      }
      const ctx = await this.context(request.actor);
      const payment: RecordPayment = { type: 'RecordPayment', data: { ...command.data, paymentId, subProject: subProjectRef(budget.state, subProjectId) } };
      // The family decides first: its refusal (no part, unknown member) is the answer, before the budget's.
      const paid = decideFamily(payment, family.state, ctx);
      const spent = decideSubProject(this.spendFor(familyId, paid[0], command), budget.state, ctx);
      const metadata = this.metadata('RecordPayment', request, ctx.ruleSet.id);
      const appends: StreamAppend[] = [
        {
          streamId: budgetStream,
          events: spent.map((e) => ({ id: moneyEventId.spend(budgetStream, paymentId), type: e.type, data: e.data as JsonObject, metadata })),
          expectedRevision: expectedOf(budget.revision),
        },
        {
          streamId: familyStream,
          events: paid.map((e) => ({ id: moneyEventId.payment(familyStream, paymentId), type: e.type, data: e.data as JsonObject, metadata })),
          expectedRevision: expectedOf(family.revision),
        },
      ];
      let results;
      try {
        results = await this.store.appendToStreams!(appends);
      } catch (error) {
        if (!mayRetry(error, request, familyStream, attempt)) throw error;
        await backoff(attempt);
        continue;
      }
      if (results[1].nextExpectedRevision !== family.revision + paid.length) {
        // The same payment (same key) was stored by a concurrent request first: answer as it was answered.
        const replay = await this.replayOf(familyStream, paymentId, 'PaymentRecorded', request);
        if (replay) return replay;
      }
      const stored = await this.store.readStream(familyStream, { fromRevision: family.revision + 1, maxCount: paid.length });
      return { streamId: familyStream, revision: family.revision + paid.length, replayed: false, events: outcomeEvents(stored) };
    }
  }

  /**
   * Process manager, step 1 (on the budget's queue): the family checks the payment (nothing
   * written), then the spend is appended with the budget revision the balance was checked on,
   * carrying the whole payment. A retry of a half-done payment picks up its spend.
   */
  private async spendFirst(
    familyId: string,
    subProjectId: string,
    paymentId: string,
    command: RecordPayment,
    request: RequestInfo,
  ): Promise<{ outcome: CommandOutcome } | { spend: SpendToComplete; metadata: JsonObject }> {
    const familyStream = familyStreamId(familyId);
    const budgetStream = subProjectStreamId(subProjectId);
    for (let attempt = 1; ; attempt++) {
      const [budget, family] = await Promise.all([this.budgets.load(budgetStream), this.families.load(familyStream)]);
      if (family.state.payments[paymentId]) {
        const replay = await this.replayOf(familyStream, paymentId, 'PaymentRecorded', request);
        if (replay) return { outcome: replay };
      }
      if (request.expectedRevision !== undefined && request.expectedRevision !== family.revision) {
        throw new StaleRevisionError(familyStream, request.expectedRevision, family.revision);
      }
      const existing = budget.state.spends[paymentId];
      if (existing && !existing.reversed && request.idempotencyKey && !family.state.payments[paymentId]) {
        // The first attempt stopped after its spend: complete that one.
        const spendEvent = await this.spendEventOf(budgetStream, paymentId);
        if (spendEvent?.metadata?.idempotencyKey === request.idempotencyKey && (spendEvent.data as SpendToComplete).payment) {
          assertSameFingerprint([spendEvent], request.idempotencyKey, fingerprintOf(request));
          return {
            spend: upcastSubProjectEvent({ type: 'SpendRecorded', data: spendEvent.data } as SpendRecorded).data as SpendToComplete,
            metadata: spendEvent.metadata,
          };
        }
      }
      const ctx = await this.context(request.actor);
      const payment: RecordPayment = { type: 'RecordPayment', data: { ...command.data, paymentId, subProject: subProjectRef(budget.state, subProjectId) } };
      const paid = decideFamily(payment, family.state, ctx); // refuses before any money moves
      const [spent] = decideSubProject(this.spendFor(familyId, paid[0], command), budget.state, ctx) as SpendRecorded[];
      const metadata = this.metadata('RecordPayment', request, ctx.ruleSet.id);
      try {
        await this.store.appendToStream(
          budgetStream,
          [{ id: moneyEventId.spend(budgetStream, paymentId), type: spent.type, data: spent.data as JsonObject, metadata }],
          {
            expectedRevision: expectedOf(budget.revision),
          },
        );
      } catch (error) {
        if (isLostRace(error) && attempt < MAX_RACE_RETRIES) {
          await backoff(attempt);
          continue;
        }
        throw error;
      }
      if (faultKillAfterSpend()) {
        this.logger.warn('FAULT_KILL_AFTER_SPEND: killing this process between the spend and the family payment');
        process.kill(process.pid, 'SIGKILL');
      }
      return { spend: spent.data, metadata };
    }
  }

  private async spendEventOf(budgetStream: string, paymentId: string): Promise<RecordedEvent | undefined> {
    const whole = await this.budgets.load(budgetStream, { whole: true });
    return whole.events.find((e) => e.type === 'SpendRecorded' && e.data.paymentId === paymentId);
  }

  /**
   * Process manager, step 2: the family payment from the spend alone, with the id derived from
   * the payment id (whoever completes it, it is stored once). Used by single payments, runs and
   * the recovery pass, which may complete the same spend at the same time: the two writes are on
   * different streams with no transaction, so no check on one stream can guard the other. The
   * family stream decides, once per payment: its PaymentRecorded or its PaymentAbandoned, both
   * under the same event id, so whichever is stored first is the answer for every completer.
   * Each attempt asks the family first; a family that refuses the payment, attempts used up or a
   * store failure abandon it (abandon), and the money goes back only once the family says so.
   */
  async completeFromSpend(spend: SpendToComplete, actor: Actor, metadata: JsonObject): Promise<CommandOutcome> {
    const familyStream = familyStreamId(spend.familyId!);
    const budgetStream = subProjectStreamId(spend.subProjectId);
    let failure: unknown;
    for (let attempt = 1; attempt <= MAX_RACE_RETRIES; attempt++) {
      const [budget, family] = await Promise.all([this.budgets.load(budgetStream), this.families.load(familyStream)]);
      const answered = await this.familyAnswer(familyStream, family.state, spend, actor, metadata);
      if (answered) return this.outcomeOf(answered, new PaymentWasAbandoned(spend.paymentId));
      let paid: FamilyEvent[];
      try {
        paid = decideFamily(this.paymentFromSpend(spend, budget.state), family.state, await this.context(actor));
      } catch (error) {
        if (!isDomainError(error)) throw error;
        return this.outcomeOf(await this.abandon(spend, actor, metadata, { reason: 'family-refused', refusal: error.code }, error), error);
      }
      let appended: AppendResult;
      try {
        appended = await this.store.appendToStream(
          familyStream,
          paid.map((e) => ({ id: moneyEventId.payment(familyStream, spend.paymentId), type: e.type, data: e.data as JsonObject, metadata })),
          { expectedRevision: expectedOf(family.revision) },
        );
      } catch (error) {
        failure = error;
        if (isLostRace(error)) {
          await backoff(attempt);
          continue;
        }
        break;
      }
      // Stored, or the store found the id there already (an abandonment by another completer
      // counts as a duplicate of it): only the family's fold says which.
      const after = await this.families.load(familyStream);
      const [stored] = await this.store.readStream(familyStream, { fromRevision: appended.nextExpectedRevision, maxCount: 1 });
      if (after.state.payments[spend.paymentId] && stored?.type === 'PaymentRecorded' && stored.data.paymentId === spend.paymentId) {
        return { streamId: familyStream, revision: appended.nextExpectedRevision, replayed: false, events: outcomeEvents([stored]) };
      }
      const answer = await this.familyAnswer(familyStream, after.state, spend, actor, metadata);
      if (answer) return this.outcomeOf(answer, new PaymentWasAbandoned(spend.paymentId));
    }
    failure ??= new PaymentWasAbandoned(spend.paymentId); // every attempt found the family undecided: give it up all the same
    return this.outcomeOf(await this.abandon(spend, actor, metadata, { reason: 'not-recorded', refusal: null }, failure), failure);
  }

  /**
   * Gives up a spend's family payment. The family decides: its abandonment is appended with the
   * id the payment would have (expected revision 'any': the id and the fold decide, not the
   * order of commands), then the family is read again and obeyed. The payment recorded by
   * another completer first: it stands (nothing given back). Abandoned: the spend's money goes
   * back. Should the abandonment not be stored (store down), nothing is given back: the spend
   * stays for the recovery pass, and the caller's failure is the answer.
   */
  async abandon(spend: SpendToComplete, actor: Actor, metadata: JsonObject, why: AbandonWhy, failure: unknown): Promise<FamilyAnswer> {
    const familyStream = familyStreamId(spend.familyId!);
    try {
      const family = await this.families.load(familyStream);
      const abandoned = abandonPayment(
        {
          paymentId: spend.paymentId,
          subProjectId: spend.subProjectId,
          recipientMemberId: spend.payment?.recipientMemberId ?? null,
          amountOre: spend.amountOre,
          ...why,
        },
        family.state,
        { now: this.clock.now(), actor },
      );
      if (abandoned.length > 0) {
        await this.store.appendToStream(
          familyStream,
          abandoned.map((e) => ({ id: moneyEventId.payment(familyStream, spend.paymentId), type: e.type, data: e.data as JsonObject, metadata })),
          { expectedRevision: 'any' },
        );
      }
    } catch (error) {
      // The id is held already (the payment, or an abandonment): the family, read below, says which.
      if (!(error instanceof EventIdConflictError)) {
        this.logger.warn(`payment ${spend.paymentId}: neither recorded nor abandoned (${String(error)}); the recovery pass will settle it`);
        throw failure ?? error;
      }
    }
    const family = await this.families.load(familyStream);
    const answer = await this.familyAnswer(familyStream, family.state, spend, actor, metadata);
    if (!answer) throw failure ?? new Error(`payment ${spend.paymentId}: the family holds neither the payment nor its abandonment`);
    return answer;
  }

  /**
   * What the family says about a payment, acted on: recorded (its events), or abandoned (the
   * spend given back now, idempotently); undefined while it says neither.
   */
  private async familyAnswer(
    familyStream: string,
    state: FamilyState,
    spend: Pick<SpendToComplete, 'subProjectId' | 'paymentId'>,
    actor: Actor,
    metadata: JsonObject,
  ): Promise<FamilyAnswer | undefined> {
    if (state.payments[spend.paymentId]) {
      const whole = await this.families.load(familyStream, { whole: true });
      const recorded = whole.events.filter((e) => e.type === 'PaymentRecorded' && e.data.paymentId === spend.paymentId);
      return { kind: 'recorded', outcome: { streamId: familyStream, revision: whole.revision, replayed: true, events: outcomeEvents(recorded) } };
    }
    const abandoned = state.abandonedPayments?.[spend.paymentId];
    if (abandoned) {
      const why = abandoned.refusal ? `${abandoned.reason}: ${abandoned.refusal}` : abandoned.reason;
      await this.compensate(spend, actor, metadata, `The family payment was abandoned (${why})`);
      return { kind: 'abandoned' };
    }
    return undefined;
  }

  /** A recorded payment is the answer; an abandoned one answers with the failure that gave it up. */
  private outcomeOf(answer: FamilyAnswer, failure: unknown): CommandOutcome {
    if (answer.kind === 'recorded') return answer.outcome;
    throw failure;
  }

  /**
   * Gives a spend's money back (id derived from the payment id: at most one reversal, whoever
   * sends it). Only once the family says the payment will not stand: abandoned, or reversed.
   */
  async compensate(spend: Pick<SpendToComplete, 'subProjectId' | 'paymentId'>, actor: Actor, metadata: JsonObject, reason: string): Promise<void> {
    const budgetStream = subProjectStreamId(spend.subProjectId);
    for (let attempt = 1; ; attempt++) {
      const budget = await this.budgets.load(budgetStream);
      const current = budget.state.spends[spend.paymentId];
      if (!current || current.reversed) return;
      const events = decideSubProject({ type: 'ReverseSpend', data: { paymentId: spend.paymentId, reason } }, budget.state, {
        now: this.clock.now(),
        newId: randomUUID,
        actor,
      });
      try {
        await this.store.appendToStream(
          budgetStream,
          events.map((e) => ({ id: moneyEventId.spendReversed(budgetStream, spend.paymentId), type: e.type, data: e.data as JsonObject, metadata })),
          { expectedRevision: expectedOf(budget.revision) },
        );
        return;
      } catch (error) {
        if (isLostRace(error) && attempt < MAX_RACE_RETRIES) {
          await backoff(attempt);
          continue;
        }
        throw error;
      }
    }
  }

  /**
   * Reversing a sub-project payment: the family's reversal and the budget's, together. Atomic
   * on PostgreSQL; with the process manager the family's first (the payment's own log), then
   * the budget's, which the recovery pass completes should the process stop in between.
   */
  async reverse(familyId: string, subProjectId: string, command: ReversePayment, request: RequestInfo): Promise<CommandOutcome> {
    const familyStream = familyStreamId(familyId);
    const budgetStream = subProjectStreamId(subProjectId);
    const paymentId = command.data.paymentId;
    const outcome = await this.onBudget(subProjectId, async () => {
      for (let attempt = 1; ; attempt++) {
        const [budget, family] = await Promise.all([this.budgets.load(budgetStream), this.families.load(familyStream)]);
        if (family.state.payments[paymentId]?.reversed) {
          const replay = await this.replayOf(familyStream, paymentId, 'PaymentReversed', request);
          if (replay) return { replay, budget };
        }
        if (request.expectedRevision !== undefined && request.expectedRevision !== family.revision) {
          throw new StaleRevisionError(familyStream, request.expectedRevision, family.revision);
        }
        const ctx = await this.context(request.actor);
        const reversed = decideFamily(command, family.state, ctx);
        const metadata = this.metadata('ReversePayment', request, ctx.ruleSet.id);
        const spend = budget.state.spends[paymentId];
        const familyAppend: StreamAppend = {
          streamId: familyStream,
          events: reversed.map((e) => ({ id: moneyEventId.paymentReversed(familyStream, paymentId), type: e.type, data: e.data as JsonObject, metadata })),
          expectedRevision: expectedOf(family.revision),
        };
        const unspent =
          spend && !spend.reversed
            ? decideSubProject(
                { type: 'ReverseSpend', data: { paymentId, reason: `The family payment was reversed: ${command.data.reason}` } },
                budget.state,
                ctx,
              )
            : [];
        const budgetAppend: StreamAppend = {
          streamId: budgetStream,
          events: unspent.map((e) => ({ id: moneyEventId.spendReversed(budgetStream, paymentId), type: e.type, data: e.data as JsonObject, metadata })),
          expectedRevision: expectedOf(budget.revision),
        };
        try {
          if (this.mode === 'atomic') await this.store.appendToStreams!(unspent.length ? [familyAppend, budgetAppend] : [familyAppend]);
          else await this.store.appendToStream(familyStream, familyAppend.events, { expectedRevision: familyAppend.expectedRevision });
        } catch (error) {
          if (!mayRetry(error, request, familyStream, attempt)) throw error;
          await backoff(attempt);
          continue;
        }
        const stored = await this.store.readStream(familyStream, { fromRevision: family.revision + 1, maxCount: reversed.length });
        return {
          replay: { streamId: familyStream, revision: family.revision + reversed.length, replayed: false, events: outcomeEvents(stored) },
          budget,
          metadata,
        };
      }
    });
    // The process manager's second step, and the completion of a reversal left half done before.
    const spend = (await this.budgets.load(budgetStream)).state.spends[paymentId];
    if (spend && !spend.reversed) {
      const metadata =
        'metadata' in outcome && outcome.metadata ? outcome.metadata : this.metadata('ReversePayment', request, (await this.context(request.actor)).ruleSet.id);
      await this.compensate({ subProjectId, paymentId }, request.actor, metadata, `The family payment was reversed: ${command.data.reason}`);
    }
    return outcome.replay;
  }
}
