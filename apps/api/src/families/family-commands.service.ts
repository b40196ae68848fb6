import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { deterministicUuid, StreamCommandHandler } from '@familievedtak/application';
import {
  DecisionContext,
  decideFamily,
  EVENT_SCHEMA_VERSION,
  evolveFamily,
  foldFamily,
  FamilyCommand,
  FamilyEvent,
  FamilyState,
  initialFamilyState,
  isDomainError,
  RecordPayment,
  ReversePayment,
  SubProjectNotFound,
  localDateOf,
} from '@familievedtak/domain';
import { Clock, EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { CLOCK } from '../shared/clock.provider';
import { CommandOutcome, envelopeFor, RequestInfo } from '../shared/command-envelope';
import { SubProjectCommandsService } from '../sub-projects/sub-project-commands.service';
import { RuleSetRegistry } from '../rules/rule-set-registry.service';

export const familyStream = (familyId: string) => `family-${familyId}`;

/** Sends family commands through the one load-decide-append path, with who and why attached. */
@Injectable()
export class FamilyCommandsService {
  private readonly handler: StreamCommandHandler<FamilyCommand, FamilyEvent, FamilyState, DecisionContext>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly subProjects: SubProjectCommandsService,
    private readonly ruleSets: RuleSetRegistry,
  ) {
    this.handler = new StreamCommandHandler(store, { decide: decideFamily, evolve: evolveFamily, fold: (events, state) => foldFamily(events, state), initialState: initialFamilyState });
  }

  /**
   * The delegation rules from the registry's in-memory cache (no rule-set stream is read per
   * command): `ruleSetOn` gives the set in force on a decision's date (the period start, for
   * proposals, approvals, amendments and appeal reversals), `ruleSet` the one in force today
   * (family decisions, and the ruleSetId in the event metadata).
   */
  private async context(request: RequestInfo): Promise<DecisionContext> {
    const now = this.clock.now();
    const rules = await this.ruleSets.snapshot();
    return { now, newId: randomUUID, actor: request.actor, ruleSet: rules.inForceOn(localDateOf(now)), ruleSetOn: rules.inForceOn };
  }

  async execute(familyId: string, command: FamilyCommand, request: RequestInfo): Promise<CommandOutcome> {
    if (command.type === 'RecordPayment' && command.data.funding.kind === 'sub-project') {
      return this.payFromSubProject(familyId, command, request);
    }
    if (command.type === 'ReversePayment') return this.reversePayment(familyId, command, request);
    if (command.type === 'ProposeDecision' && command.data.subProject) {
      // Pilot support: the responsible unit comes from the sub-project's own stream, never the request.
      const { subProjectId } = command.data.subProject;
      const { state } = await this.subProjects.load(subProjectId);
      if (state.status === 'none' || !state.responsibleUnit) throw new SubProjectNotFound();
      command = { ...command, data: { ...command.data, subProject: { subProjectId, responsibleUnit: state.responsibleUnit } } };
    }
    return this.appendToFamily(familyId, command, request);
  }

  private async appendToFamily(familyId: string, command: FamilyCommand, request: RequestInfo): Promise<CommandOutcome> {
    const context = await this.context(request);
    const result = await this.handler.handle(familyStream(familyId), command, {
      envelope: envelopeFor(command.type, request, context.ruleSet.id),
      context,
      expectedRevision: request.expectedRevision,
      schemaVersion: EVENT_SCHEMA_VERSION,
    });
    return {
      streamId: familyStream(familyId),
      revision: result.revision,
      replayed: result.replayed,
      events: result.events.map((e) => ({ id: e.id, type: e.type, revision: e.revision, globalPosition: e.globalPosition.toString() })),
    };
  }

  /**
   * A payment from a sub-project budget touches two streams, and the log has no transaction
   * across streams. Order: check the payment against the family first (nothing written),
   * then spend from the budget (its revision check is what stops overspending), then record
   * the payment; if that last step is refused after all, the spend is reversed. With an
   * Idempotency-Key both appends derive their event ids from it, so a retry completes a
   * half-done payment instead of doubling it.
   */
  private async payFromSubProject(familyId: string, command: RecordPayment, request: RequestInfo): Promise<CommandOutcome> {
    const funding = command.data.funding as { kind: 'sub-project'; subProjectId: string };
    // The same payment id for every retry of one idempotency key.
    const paymentId =
      command.data.paymentId ??
      (request.idempotencyKey ? deterministicUuid('payment', familyStream(familyId), request.idempotencyKey) : randomUUID());
    const payment: RecordPayment = { type: 'RecordPayment', data: { ...command.data, paymentId } };
    const family = await this.handler.load(familyStream(familyId));
    if (request.idempotencyKey && this.handler.alreadyHandled(familyStream(familyId), family.events, request.idempotencyKey)) {
      return this.appendToFamily(familyId, payment, request); // a completed payment retried: the first answer
    }
    decideFamily(payment, family.state, await this.context(request)); // refuses before any money moves

    await this.subProjects.execute(
      funding.subProjectId,
      {
        type: 'RecordSpend',
        data: { paymentId, amountOre: command.data.amountOre, category: command.data.method, spentOn: command.data.paidOn, familyId },
      },
      { ...request, expectedRevision: undefined, idempotencyKey: request.idempotencyKey && `${request.idempotencyKey}:spend` },
    );
    try {
      return await this.appendToFamily(familyId, payment, { ...request, expectedRevision: undefined });
    } catch (error) {
      if (isDomainError(error)) {
        await this.subProjects.execute(
          funding.subProjectId,
          { type: 'ReverseSpend', data: { paymentId, reason: `The payment was not recorded for the family: ${error.code}` } },
          { ...request, expectedRevision: undefined, idempotencyKey: request.idempotencyKey && `${request.idempotencyKey}:unspend` },
        );
      }
      throw error;
    }
  }

  /**
   * Reversing a payment is recorded on the family first (the payment's own log); a
   * sub-project payment then gives its money back to the semester budget. A retry with the
   * same Idempotency-Key (say, after a crash between the two) completes the second step
   * without repeating the first.
   */
  private async reversePayment(familyId: string, command: ReversePayment, request: RequestInfo): Promise<CommandOutcome> {
    const outcome = await this.appendToFamily(familyId, command, request);
    const { state } = await this.handler.load(familyStream(familyId));
    const payment = state.payments[command.data.paymentId];
    if (payment?.reversed && payment.funding.kind === 'sub-project') {
      const { subProjectId } = payment.funding;
      const budget = await this.subProjects.load(subProjectId);
      const spend = budget.state.spends[payment.paymentId];
      if (spend && !spend.reversed) {
        await this.subProjects.execute(
          subProjectId,
          { type: 'ReverseSpend', data: { paymentId: payment.paymentId, reason: `The family payment was reversed: ${command.data.reason}` } },
          { ...request, expectedRevision: undefined, idempotencyKey: request.idempotencyKey && `${request.idempotencyKey}:unspend` },
        );
      }
    }
    return outcome;
  }

  /** The family folded straight from its stream (for reads that must not lag the projection). */
  async load(familyId: string): Promise<{ state: FamilyState; revision: number }> {
    const { state, revision } = await this.handler.load(familyStream(familyId));
    return { state, revision };
  }
}
