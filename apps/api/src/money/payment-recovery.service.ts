import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import {
  Actor,
  familyStreamId,
  FAMILY_STREAM_PREFIX,
  SpendRecorded,
  SUB_PROJECT_STREAM_PREFIX,
  SubProjectEvent,
  upcastSubProjectEvent,
} from '@familievedtak/domain';
import { Clock, EVENT_STORE, EventStore, JsonObject, RecordedEvent } from '@familievedtak/event-store';
import { CLOCK } from '../shared/clock.provider';
import { SpendToComplete, SubProjectPayments } from './sub-project-payments.service';

export interface RecoveryOptions {
  /** Spends younger than this are left alone (their request may still be completing them). */
  graceMs?: number;
}

export interface RecoveryReport {
  /** Spends and family reversals looked at in this pass. */
  checked: number;
  /** Family payments recorded from their spend. */
  completed: number;
  /** Spends given back: the family refused the payment, or the spend carried none to complete. */
  compensated: number;
  /** Spends given back because their family payment had been reversed. */
  reversalsCompleted: number;
  /** Left for a later pass (too young, or a failure now). */
  pending: number;
}

/** Default grace period and interval; PAYMENT_RECOVERY_GRACE_MS / PAYMENT_RECOVERY_INTERVAL_MS (0: at start only) override them. */
const GRACE_MS = 60_000;
const INTERVAL_MS = 60_000;
const PAGE = 1000;

/** The actor as recorded in an event's metadata, to act again on its behalf. */
function actorOf(metadata: JsonObject): Actor | undefined {
  const ref = metadata?.actor as { userId?: string; role?: string; unit?: string | null; partnerOrganisation?: string | null } | undefined;
  if (!ref?.userId || !ref.role) return undefined;
  return {
    userId: ref.userId,
    role: ref.role as Actor['role'],
    unit: (ref.unit ?? undefined) as Actor['unit'],
    partnerOrganisation: ref.partnerOrganisation ?? undefined,
  };
}

/**
 * The process manager's safety net. A spend whose family payment is not in the family's
 * stream after the grace period (the process stopped between the two appends) is completed
 * from the spend, or, if the family refuses it now or the spend carries no payment (spends
 * from before issue 12), abandoned on the family's stream and then given back; one the family
 * abandoned already is given back. A request still completing the same spend decides through
 * the same family stream (completeFromSpend, abandon), so the two never disagree. A family
 * reversal whose spend was not given back gets it given back. Acts on behalf of the actor recorded on the spend, with the spend's command
 * ids (causation: the spend event), through the same ids as the request would have used,
 * so racing a late request or another instance stores nothing twice.
 *
 * Runs at start, then every interval, and on demand (tests, `recover()`). Keeps the position
 * up to which every spend is settled, so a pass reads only what is new after the first.
 */
@Injectable()
export class PaymentRecovery implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('payment-recovery');
  private settledUpTo = 0n;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RecoveryReport> | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly payments: SubProjectPayments,
    @Optional() @Inject('PAYMENT_RECOVERY_ENV') private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  get graceMs(): number {
    const value = Number(this.env.PAYMENT_RECOVERY_GRACE_MS);
    return Number.isFinite(value) && value >= 0 && this.env.PAYMENT_RECOVERY_GRACE_MS !== undefined ? value : GRACE_MS;
  }

  onApplicationBootstrap(): void {
    const interval = Number(this.env.PAYMENT_RECOVERY_INTERVAL_MS ?? INTERVAL_MS);
    const pass = () =>
      void this.recover().catch((error) =>
        this.logger.warn(`recovery pass failed (next one in ${interval} ms): ${error instanceof Error ? error.message : String(error)}`),
      );
    // At start (a crash may have left half-done payments), then periodically (0: only at start).
    pass();
    if (!(interval > 0)) return;
    this.timer = setInterval(pass, interval);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass; a pass already running is joined rather than doubled. */
  recover(options: RecoveryOptions = {}): Promise<RecoveryReport> {
    this.running ??= this.pass(options.graceMs ?? this.graceMs).finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(graceMs: number): Promise<RecoveryReport> {
    const report: RecoveryReport = { checked: 0, completed: 0, compensated: 0, reversalsCompleted: 0, pending: 0 };
    const cutoff = this.clock.now().getTime() - graceMs;
    const open = new Map<string, RecordedEvent>(); // spends not reversed, by payment id
    const reversals: RecordedEvent[] = [];
    let position = this.settledUpTo;
    let lastSeen = position;
    for (;;) {
      const page = await this.store.readAll({
        fromPosition: position,
        maxCount: PAGE,
        filter: { streamPrefixes: [SUB_PROJECT_STREAM_PREFIX, FAMILY_STREAM_PREFIX], eventTypes: ['SpendRecorded', 'SpendReversed', 'PaymentReversed'] },
      });
      for (const event of page) {
        if (event.type === 'SpendRecorded' && event.data.familyId) open.set(`${event.streamId}/${event.data.paymentId}`, event);
        else if (event.type === 'SpendReversed') open.delete(`${event.streamId}/${event.data.paymentId}`);
        else if (event.type === 'PaymentReversed') reversals.push(event);
      }
      if (page.length > 0) lastSeen = page[page.length - 1].globalPosition;
      if (page.length < PAGE) break;
      position = lastSeen;
    }
    let oldestUnsettled: bigint | undefined;
    const unsettled = (event: RecordedEvent) => {
      report.pending++;
      if (oldestUnsettled === undefined || event.globalPosition < oldestUnsettled) oldestUnsettled = event.globalPosition;
    };
    for (const event of open.values()) {
      report.checked++;
      if (event.recordedAt.getTime() > cutoff) {
        unsettled(event);
        continue;
      }
      try {
        const outcome = await this.settleSpend(event);
        if (outcome === 'completed') report.completed++;
        if (outcome === 'compensated') report.compensated++;
      } catch (error) {
        if (!(error as { code?: string })?.code) this.logger.warn(`spend ${String(event.data.paymentId)}: ${String(error)}`);
        // Abandoned (refused, or an abandonment found): given back inside completeFromSpend; anything else waits for the next pass.
        const budget = await this.payments.budgets.load(event.streamId).catch(() => undefined);
        const spend = budget?.state.spends[String(event.data.paymentId)];
        if (spend?.reversed) report.compensated++;
        else unsettled(event);
      }
    }
    for (const event of reversals) {
      report.checked++;
      if (event.recordedAt.getTime() > cutoff) {
        unsettled(event);
        continue;
      }
      try {
        if (await this.settleReversal(event)) report.reversalsCompleted++;
      } catch (error) {
        this.logger.warn(`reversal of ${String(event.data.paymentId)}: ${String(error)}`);
        unsettled(event);
      }
    }
    // Everything before the oldest unsettled event is settled for good: later passes start there.
    this.settledUpTo = oldestUnsettled !== undefined ? oldestUnsettled - 1n : lastSeen;
    if (report.completed || report.compensated || report.reversalsCompleted) {
      this.logger.log(
        `recovery: ${report.completed} payment(s) completed, ${report.compensated} spend(s) given back, ${report.reversalsCompleted} reversal(s) completed`,
      );
    }
    return report;
  }

  private async settleSpend(event: RecordedEvent): Promise<'settled' | 'completed' | 'compensated'> {
    const spend = upcastSubProjectEvent({ type: 'SpendRecorded', data: event.data } as unknown as SubProjectEvent).data as SpendRecorded['data'];
    const family = await this.payments.families.load(familyStreamId(spend.familyId!));
    if (family.state.payments[spend.paymentId]) return 'settled';
    const budget = await this.payments.budgets.load(event.streamId);
    if (budget.state.spends[spend.paymentId]?.reversed) return 'settled';
    const actor = actorOf(event.metadata);
    const metadata: JsonObject = { ...event.metadata, causationId: event.id, recoveredBy: 'payment-recovery' };
    if (!spend.payment || !actor) {
      // Nothing to complete it from: the family abandons it (unless a late request recorded it), then the money goes back.
      const answer = await this.payments.onBudget(spend.subProjectId, () =>
        this.payments.abandon(
          spend as SpendToComplete,
          actor ?? { userId: 'payment-recovery', role: 'unit-leader', unit: budget.state.responsibleUnit ?? undefined },
          metadata,
          { reason: 'not-recorded', refusal: null },
          new Error('Recovery: the family payment was never recorded and cannot be completed from this spend'),
        ),
      );
      return answer.kind === 'recorded' ? 'settled' : 'compensated';
    }
    // Abandoned, a payment refused or out of attempts: the spend is given back inside (after the family's abandonment), and this throws.
    const outcome = await this.payments.onBudget(spend.subProjectId, () => this.payments.completeFromSpend(spend as SpendToComplete, actor, metadata));
    return outcome.replayed ? 'settled' : 'completed';
  }

  /** A reversed sub-project payment whose spend still counts against the budget: give the money back. */
  private async settleReversal(event: RecordedEvent): Promise<boolean> {
    const family = await this.payments.families.load(event.streamId);
    const payment = family.state.payments[String(event.data.paymentId)];
    if (!payment?.reversed || payment.funding.kind !== 'sub-project') return false;
    const { subProjectId } = payment.funding;
    const budget = await this.payments.budgets.load(`${SUB_PROJECT_STREAM_PREFIX}${subProjectId}`);
    const spend = budget.state.spends[payment.paymentId];
    if (!spend || spend.reversed) return false;
    const actor = actorOf(event.metadata) ?? { userId: 'payment-recovery', role: 'unit-leader', unit: budget.state.responsibleUnit ?? undefined };
    await this.payments.compensate(
      { subProjectId, paymentId: payment.paymentId },
      actor,
      { ...event.metadata, causationId: event.id, recoveredBy: 'payment-recovery' },
      `The family payment was reversed: ${String(event.data.reason)}`,
    );
    return true;
  }
}
