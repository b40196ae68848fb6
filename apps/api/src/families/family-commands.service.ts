import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { PG_POOL } from '@familievedtak/database';
import type { Pool } from 'pg';
import { StreamCommandHandler } from '@familievedtak/application';
import {
  DecisionContext,
  decideFamily,
  EnrolInSubProject,
  EVENT_SCHEMA_VERSION,
  evolveFamily,
  foldFamily,
  FamilyCommand,
  FamilyEvent,
  FamilyState,
  hasActivePart,
  initialFamilyState,
  isUnit,
  ORGANISATION_NUMBER,
  RecordPayment,
  ReversePayment,
  SubProjectFacts,
  SubProjectNotFound,
  WithdrawConsent,
  localDateOf,
} from '@familievedtak/domain';
import { Clock, EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { CLOCK } from '../shared/clock.provider';
import { CommandOutcome, envelopeFor, RequestInfo } from '../shared/command-envelope';
import { SubProjectCommandsService } from '../sub-projects/sub-project-commands.service';
import { RuleSetRegistry } from '../rules/rule-set-registry.service';
import { unitsThatReadUnderConsent } from '../read-audit/read-audit.service';
import { SubProjectPayments, subProjectRef } from '../money/sub-project-payments.service';

export const familyStream = (familyId: string) => `family-${familyId}`;

/** Sends family commands through the one load-decide-append path, with who and why attached. */
@Injectable()
export class FamilyCommandsService {
  private readonly handler: StreamCommandHandler<FamilyCommand, FamilyEvent, FamilyState, DecisionContext>;
  private readonly money: SubProjectPayments;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly subProjects: SubProjectCommandsService,
    private readonly ruleSets: RuleSetRegistry,
    /** The read audit's database (audit.read_access): which units read under a consent. */
    @Optional() @Inject(PG_POOL) private readonly auditPool?: Pool,
    /** The money path (the MoneyModule's; made here when used outside the API, e.g. the seeder). */
    @Optional() money?: SubProjectPayments,
  ) {
    this.money = money ?? new SubProjectPayments(store, clock, ruleSets);
    this.handler = new StreamCommandHandler(
      store,
      {
        decide: decideFamily,
        evolve: evolveFamily,
        fold: (events, state) => foldFamily(events, state),
        initialState: initialFamilyState,
      },
      // After an erasure the cached state still holds the erased plaintext: fold the stream again (it reads as erased now).
      { foldAgainAfter: (event) => event.type === 'PersonalDataErased' },
    );
  }

  /**
   * The delegation rules from the registry's in-memory cache (no rule-set stream is read per
   * command): `ruleSetOn` gives the set in force on a date (competence is asked for the day the
   * decision is made, see authoriseDecision), `ruleSet` the one in force today (family
   * decisions, and the ruleSetId in the event metadata).
   */
  private async context(request: RequestInfo): Promise<DecisionContext> {
    const now = this.clock.now();
    const rules = await this.ruleSets.snapshot();
    return { now, newId: randomUUID, actor: request.actor, ruleSet: rules.inForceOn(localDateOf(now)), ruleSetOn: rules.inForceOn };
  }

  /**
   * Facts the domain needs from other streams or the read audit are filled in here, never
   * taken from the request body (the DTOs refuse them): a sub-project's responsible unit,
   * name and partners, and the units a consent withdrawal alerts. None of them is looked up in
   * a way that answers differently to a caller without a part: the domain checks the part first.
   */
  async execute(familyId: string, command: FamilyCommand, request: RequestInfo): Promise<CommandOutcome> {
    if (command.type === 'RecordPayment' && command.data.funding?.kind === 'sub-project') {
      return this.payFromSubProject(familyId, command, request);
    }
    if (command.type === 'EnrolInSubProject') command = await this.withSubProjectFacts(command);
    if (command.type === 'WithdrawConsent') command = await this.withAlertedUnits(familyId, command);
    if (command.type === 'ReversePayment') return this.reversePayment(familyId, command, request);
    if (command.type === 'ProposeDecision' && command.data.subProject) {
      // Pilot support: the responsible unit comes from the sub-project's own stream, never the request.
      const { subProjectId } = command.data.subProject;
      const { state } = await this.subProjects.load(subProjectId);
      const ref = subProjectRef(state, subProjectId);
      if (!ref) {
        // An unknown sub-project is told only to a unit with a part; anyone else gets the domain's
        // own refusal (no part, unknown family, another unit), from the pure decision: nothing is appended.
        const family = await this.handler.load(familyStream(familyId));
        if (!hasActivePart(family.state, request.actor.unit))
          decideFamily({ ...command, data: { ...command.data, subProject: null } }, family.state, await this.context(request));
        throw new SubProjectNotFound();
      }
      command = { ...command, data: { ...command.data, subProject: ref } };
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
   * A payment from a sub-project budget touches two streams; the money path (apps/api/src/money)
   * records the spend and the family payment together, or neither (issue 12).
   */
  private payFromSubProject(familyId: string, command: RecordPayment, request: RequestInfo): Promise<CommandOutcome> {
    return this.money.pay(familyId, command, request);
  }

  /**
   * A sub-project payment's reversal gives its money back to the semester budget in the same
   * step (the money path); any other payment's is recorded on the family alone.
   */
  private async reversePayment(familyId: string, command: ReversePayment, request: RequestInfo): Promise<CommandOutcome> {
    const { state } = await this.handler.load(familyStream(familyId));
    const payment = typeof command.data.paymentId === 'string' ? state.payments[command.data.paymentId] : undefined;
    if (payment?.funding.kind === 'sub-project') return this.money.reverse(familyId, payment.funding.subProjectId, command, request);
    return this.appendToFamily(familyId, command, request);
  }

  /** The sub-project as its own stream has it: responsible unit, name, partners by organisation number, whether it still runs. */
  private async withSubProjectFacts(command: EnrolInSubProject): Promise<EnrolInSubProject> {
    const subProjectId = command.data.subProjectId;
    const { state } = await this.subProjects.load(subProjectId);
    const ref = subProjectRef(state, subProjectId);
    const subProject: SubProjectFacts | null = ref && {
      ...ref,
      name: state.name ?? subProjectId,
      partners: state.actors.flatMap((a) =>
        !a.municipal && typeof a.organisationNumber === 'string' && ORGANISATION_NUMBER.test(a.organisationNumber)
          ? [{ organisationNumber: a.organisationNumber, name: a.name, mayRecordPayments: a.mayRecordPayments === true }]
          : [],
      ),
      active: state.status !== 'terminated',
    };
    return { ...command, data: { ...command.data, subProject } };
  }

  /** The units that read under the consent, from the read audit: the withdrawal alerts them. */
  private async withAlertedUnits(familyId: string, command: WithdrawConsent): Promise<WithdrawConsent> {
    const consentId = command.data.consentId;
    const read = typeof consentId === 'string' && this.auditPool ? await unitsThatReadUnderConsent(this.auditPool, familyId, consentId) : [];
    const alertedUnits = read.filter(isUnit);
    return { ...command, data: { ...command.data, alertedUnits } };
  }

  /** The family folded straight from its stream (for reads that must not lag the projection). */
  async load(familyId: string): Promise<{ state: FamilyState; revision: number }> {
    const { state, revision } = await this.handler.load(familyStream(familyId));
    return { state, revision };
  }
}
