import type { EventStore } from '@familievedtak/event-store';

/** What reconcile needs of an event: where it is and what it says. */
export interface MoneyEvent {
  streamId: string;
  type: string;
  data: Record<string, unknown>;
}

export type ReconcileDifferenceKind = 'spend-without-payment' | 'payment-without-spend' | 'amount-differs' | 'family-differs' | 'reversal-differs';

export interface ReconcileDifference {
  kind: ReconcileDifferenceKind;
  subProjectId: string;
  paymentId: string;
  /** The family the spend names (or, without a spend, the payment's family). */
  familyId: string | null;
  spendOre: number | null;
  paymentOre: number | null;
  detail: string;
}

export interface ReconcileResult {
  ok: boolean;
  subProjects: number;
  /** Spends that pay a family (familyId set), and family payments funded by a sub-project. */
  spends: number;
  payments: number;
  /** Net of reversals, in øre. */
  spentOre: number;
  paidOre: number;
  differences: ReconcileDifference[];
}

interface Side {
  familyId: string | null;
  amountOre: number;
  reversed: boolean;
}

const SUB_PROJECT_PREFIX = 'subproject-';
const FAMILY_PREFIX = 'family-';
export const RECONCILE_EVENT_TYPES = ['SpendRecorded', 'SpendReversed', 'PaymentRecorded', 'PaymentReversed', 'PaymentAbandoned'];

/**
 * Sub-project budgets against the family payments they paid: every spend that names a family
 * must have that family's payment (same payment id, amount and family, both reversed or
 * neither), and every family payment from a sub-project its spend. A spend whose payment the
 * family abandoned (PaymentAbandoned) must be given back; an abandonment after the payment
 * counts for nothing, as in the family's fold. Pure: feed it the events
 * (add), in any order of streams but each stream in order, then ask for the result.
 * Spends that name no family (e.g. a collective event) are not family payments and are left out.
 */
export class MoneyReconciliation {
  private readonly spends = new Map<string, Side>(); // `${subProjectId}/${paymentId}`
  private readonly payments = new Map<string, Side>();
  private readonly paymentSubProject = new Map<string, string>(); // `${familyId}/${paymentId}` -> key
  private readonly abandoned = new Set<string>(); // keys of payments their family abandoned
  private readonly subProjects = new Set<string>();

  add(event: MoneyEvent): void {
    const d = event.data;
    if (event.streamId.startsWith(SUB_PROJECT_PREFIX)) {
      const subProjectId = event.streamId.slice(SUB_PROJECT_PREFIX.length);
      const key = `${subProjectId}/${String(d.paymentId)}`;
      if (event.type === 'SpendRecorded') {
        this.subProjects.add(subProjectId);
        if (d.familyId) this.spends.set(key, { familyId: String(d.familyId), amountOre: Number(d.amountOre), reversed: false });
      } else if (event.type === 'SpendReversed') {
        const spend = this.spends.get(key);
        if (spend) spend.reversed = true;
      }
    } else if (event.streamId.startsWith(FAMILY_PREFIX)) {
      const familyId = event.streamId.slice(FAMILY_PREFIX.length);
      if (event.type === 'PaymentRecorded') {
        const funding = d.funding as { kind?: string; subProjectId?: string } | undefined;
        if (funding?.kind !== 'sub-project' || !funding.subProjectId) return;
        const key = `${funding.subProjectId}/${String(d.paymentId)}`;
        this.payments.set(key, { familyId, amountOre: Number(d.amountOre), reversed: false });
        this.paymentSubProject.set(`${familyId}/${String(d.paymentId)}`, key);
      } else if (event.type === 'PaymentReversed') {
        const key = this.paymentSubProject.get(`${familyId}/${String(d.paymentId)}`);
        const payment = key && this.payments.get(key);
        if (payment) payment.reversed = true;
      } else if (event.type === 'PaymentAbandoned') {
        const key = `${String(d.subProjectId)}/${String(d.paymentId)}`;
        if (!this.payments.has(key)) this.abandoned.add(key);
      }
    }
  }

  result(): ReconcileResult {
    const differences: ReconcileDifference[] = [];
    const net = (sides: Iterable<Side>) => [...sides].reduce((sum, s) => sum + (s.reversed ? 0 : s.amountOre), 0);
    for (const [key, spend] of this.spends) {
      const [subProjectId, paymentId] = splitKey(key);
      const payment = this.payments.get(key);
      const base = { subProjectId, paymentId, familyId: spend.familyId, spendOre: spend.amountOre, paymentOre: payment?.amountOre ?? null };
      if (!payment) {
        // A spend given back (compensated) with no payment is settled: no money moved.
        if (!spend.reversed)
          differences.push({
            ...base,
            kind: 'spend-without-payment',
            detail: this.abandoned.has(key)
              ? `spend of ${spend.amountOre} øre for family ${spend.familyId}: the family abandoned the payment but the spend still counts against the budget (the recovery pass gives it back)`
              : `spend of ${spend.amountOre} øre for family ${spend.familyId} has no payment in the family's stream`,
          });
        continue;
      }
      if (payment.familyId !== spend.familyId)
        differences.push({ ...base, kind: 'family-differs', detail: `the spend names family ${spend.familyId}, the payment is in family ${payment.familyId}` });
      if (payment.amountOre !== spend.amountOre)
        differences.push({ ...base, kind: 'amount-differs', detail: `spend ${spend.amountOre} øre, payment ${payment.amountOre} øre` });
      if (payment.reversed !== spend.reversed) {
        differences.push({
          ...base,
          kind: 'reversal-differs',
          detail: payment.reversed
            ? 'the payment is reversed but the spend still counts against the budget'
            : 'the spend is reversed but the family payment stands',
        });
      }
    }
    for (const [key, payment] of this.payments) {
      if (this.spends.has(key)) continue;
      const [subProjectId, paymentId] = splitKey(key);
      differences.push({
        subProjectId,
        paymentId,
        familyId: payment.familyId,
        spendOre: null,
        paymentOre: payment.amountOre,
        kind: 'payment-without-spend',
        detail: `payment of ${payment.amountOre} øre${payment.reversed ? ' (reversed)' : ''} has no spend on sub-project ${subProjectId}`,
      });
    }
    differences.sort((a, b) => a.subProjectId.localeCompare(b.subProjectId) || a.paymentId.localeCompare(b.paymentId) || a.kind.localeCompare(b.kind));
    return {
      ok: differences.length === 0,
      subProjects: this.subProjects.size,
      spends: this.spends.size,
      payments: this.payments.size,
      spentOre: net(this.spends.values()),
      paidOre: net(this.payments.values()),
      differences,
    };
  }
}

function splitKey(key: string): [string, string] {
  const slash = key.lastIndexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

/** The comparison over a list of events (pure). */
export function reconcileMoney(events: Iterable<MoneyEvent>): ReconcileResult {
  const reconciliation = new MoneyReconciliation();
  for (const event of events) reconciliation.add(event);
  return reconciliation.result();
}

export interface ReconcileOptions {
  pageSize?: number;
  signal?: AbortSignal;
  onProgress?(events: number): void;
}

/** Reads every spend, payment and reversal from the store (global order, paged) and reconciles them. */
export async function reconcileStore(store: EventStore, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const reconciliation = new MoneyReconciliation();
  const pageSize = options.pageSize ?? 1000;
  let position = 0n;
  let seen = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const page = await store.readAll({
      fromPosition: position,
      maxCount: pageSize,
      filter: { streamPrefixes: [SUB_PROJECT_PREFIX, FAMILY_PREFIX], eventTypes: RECONCILE_EVENT_TYPES },
    });
    for (const event of page) reconciliation.add(event);
    seen += page.length;
    options.onProgress?.(seen);
    if (page.length < pageSize) break;
    position = page[page.length - 1].globalPosition;
  }
  return reconciliation.result();
}
