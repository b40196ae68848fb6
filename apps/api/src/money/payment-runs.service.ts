import { Injectable } from '@nestjs/common';
import {
  decideFamily,
  decideSubProject,
  FamilyEvent,
  familyStreamId,
  FamilyState,
  foldFamily,
  isDomainError,
  PaymentMethod,
  PaymentRun,
  PaymentRunIdReused,
  PaymentRunItem,
  PaymentRunRecorded,
  PaymentRunRefused,
  RecordPayment,
  SpendRecorded,
  SubProjectNotFound,
  subProjectStreamId,
} from '@familievedtak/domain';
import { JsonObject, StreamAppend } from '@familievedtak/event-store';
import type { RequestInfo } from '../shared/command-envelope';
import { bodyFingerprint, moneyEventId, runPaymentId } from './money-ids';
import { backoff, MAX_RACE_RETRIES, subProjectRef, SubProjectPayments } from './sub-project-payments.service';

export interface PaymentRunInput {
  runId: string;
  description: string;
  paidOn: string;
  method?: PaymentMethod;
  payments: Array<{
    familyId: string;
    recipientMemberId: string;
    amountOre: number;
    documentationRef: string;
    answersNeedId?: string | null;
    answersDecisionId?: string | null;
  }>;
}

export interface PaymentRunResult {
  subProjectId: string;
  runId: string;
  replayed: boolean;
  description: string;
  count: number;
  totalOre: number;
  totalBySemesterOre: Record<string, number>;
  remainingBySemesterOre: Record<string, number>;
  /** Per family: its payments of the run and where they stand. */
  families: Array<{ familyId: string; paymentIds: string[]; amountOre: number; status: 'paid' | 'given-back' | 'pending' }>;
}

/** Families loaded at once while a run is decided. */
const LOAD_CONCURRENCY = 16;

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

/**
 * Payment runs: one command pays a list from a sub-project budget, all or nothing. Every
 * family's decider must accept its payments and the run's total must fit the budget, else
 * nothing is stored (and the refusal names each family's reason). On PostgreSQL the budget's
 * run and spends and every family's payments are one appendToStreams; with the process
 * manager the budget goes first (its spends carry the payments) and the families follow, with
 * ids derived from the payment ids, so the recovery pass completes a run a crash cut short.
 * A run id is answered once: the same run again gets the first result, another body 422.
 */
@Injectable()
export class PaymentRuns {
  constructor(private readonly payments: SubProjectPayments) {}

  record(subProjectId: string, input: PaymentRunInput, request: RequestInfo): Promise<PaymentRunResult> {
    const fingerprint = bodyFingerprint(input as unknown as JsonObject);
    return this.payments.onBudget(subProjectId, () => this.recordOnBudget(subProjectId, input, fingerprint, request));
  }

  private async recordOnBudget(subProjectId: string, input: PaymentRunInput, fingerprint: string, request: RequestInfo): Promise<PaymentRunResult> {
    const budgetStream = subProjectStreamId(subProjectId);
    for (let attempt = 1; ; attempt++) {
      const budget = await this.payments.budgets.load(budgetStream);
      const earlier = Object.hasOwn(budget.state.runs, input.runId) ? budget.state.runs[input.runId] : undefined;
      if (earlier) {
        if (earlier.fingerprint !== fingerprint) throw new PaymentRunIdReused(input.runId);
        if (this.payments.mode === 'process-manager') await this.completeFamilies(budgetStream, earlier.paymentIds);
        return this.resultOf(subProjectId, earlier, true);
      }
      const ref = subProjectRef(budget.state, subProjectId);
      if (!ref) throw new SubProjectNotFound();
      const ctx = await this.payments.context(request.actor);
      const method = input.method ?? 'bank-transfer';
      const items: PaymentRunItem[] = input.payments.map((p, index) => ({
        paymentId: runPaymentId(subProjectId, input.runId, index),
        familyId: p.familyId,
        amountOre: p.amountOre,
        category: method,
        spentOn: input.paidOn,
        payment: {
          recipientMemberId: p.recipientMemberId,
          answersNeedId: p.answersNeedId ?? null,
          answersDecisionId: p.answersDecisionId ?? null,
          documentationRef: p.documentationRef,
          countsAsIncome: null,
        },
      }));
      // The budget first: who may pay from it, and whether the whole run fits (nothing read from the families yet).
      const decided = decideSubProject(
        { type: 'RecordPaymentRun', data: { runId: input.runId, description: input.description, payments: items, fingerprint } },
        budget.state,
        ctx,
      );
      const familyIds = [...new Set(input.payments.map((p) => p.familyId))];
      const loaded = await inBatches(familyIds, LOAD_CONCURRENCY, (familyId) => this.payments.families.load(familyStreamId(familyId)));
      const families = new Map(
        familyIds.map((familyId, i) => [familyId, { ...loaded[i], decided: [] as FamilyEvent[], state: loaded[i].state as FamilyState }]),
      );
      const refusals: Array<{ familyId: string; paymentIndex: number; code: string; message: string }> = [];
      items.forEach((item, index) => {
        const family = families.get(item.familyId)!;
        const command: RecordPayment = {
          type: 'RecordPayment',
          data: {
            paymentId: item.paymentId,
            recipientMemberId: item.payment.recipientMemberId,
            amountOre: item.amountOre,
            method,
            funding: { kind: 'sub-project', subProjectId },
            answersNeedId: item.payment.answersNeedId,
            answersDecisionId: item.payment.answersDecisionId,
            documentationRef: item.payment.documentationRef,
            paidOn: input.paidOn,
            subProject: ref,
          },
        };
        try {
          const events = decideFamily(command, family.state, ctx);
          family.decided.push(...events);
          family.state = foldFamily(events, family.state);
        } catch (error) {
          if (!isDomainError(error)) throw error;
          refusals.push({ familyId: item.familyId, paymentIndex: index, code: error.code, message: error.message });
        }
      });
      if (refusals.length > 0) throw new PaymentRunRefused(refusals);
      const metadata = this.payments.metadata('RecordPaymentRun', request, ctx.ruleSet.id);
      const budgetAppend: StreamAppend = {
        streamId: budgetStream,
        events: decided.map((e, i) => ({
          id: e.type === 'SpendRecorded' ? moneyEventId.spend(budgetStream, e.data.paymentId) : moneyEventId.run(budgetStream, input.runId, i),
          type: e.type,
          data: e.data as JsonObject,
          metadata,
        })),
        expectedRevision: budget.revision < 0 ? 'no_stream' : budget.revision,
      };
      const familyAppends: StreamAppend[] = [...families.entries()].map(([familyId, family]) => {
        const stream = familyStreamId(familyId);
        return {
          streamId: stream,
          events: family.decided.map((e) => ({
            id: moneyEventId.payment(stream, (e.data as { paymentId: string }).paymentId),
            type: e.type,
            data: e.data as JsonObject,
            metadata,
          })),
          expectedRevision: family.revision < 0 ? 'no_stream' : family.revision,
        };
      });
      const run = decided[0] as PaymentRunRecorded;
      try {
        if (this.payments.mode === 'atomic') {
          await this.payments.store.appendToStreams!([budgetAppend, ...familyAppends]);
        } else {
          await this.payments.store.appendToStream(budgetStream, budgetAppend.events, { expectedRevision: budgetAppend.expectedRevision });
        }
      } catch (error) {
        if (
          (error as { code?: string }).code &&
          ['WRONG_EXPECTED_VERSION', 'EVENT_ID_CONFLICT'].includes((error as { code: string }).code) &&
          attempt < MAX_RACE_RETRIES
        ) {
          await backoff(attempt);
          continue; // another command moved a family or the budget: decide the whole run again
        }
        throw error;
      }
      if (this.payments.mode === 'process-manager') await this.completeFamilies(budgetStream, run.data.paymentIds);
      return this.resultOf(subProjectId, { ...run.data, at: run.data.at, by: run.data.by }, false);
    }
  }

  /** Process manager: each family's payments from the run's spends (a family at a time, families in parallel). */
  private async completeFamilies(budgetStream: string, paymentIds: string[]): Promise<void> {
    const whole = await this.payments.budgets.load(budgetStream, { whole: true });
    const wanted = new Set(paymentIds);
    const byFamily = new Map<string, Array<{ data: SpendRecorded['data']; metadata: JsonObject }>>();
    for (const e of whole.events) {
      if (e.type !== 'SpendRecorded' || !wanted.has(String(e.data.paymentId))) continue;
      const familyId = String(e.data.familyId);
      byFamily.set(familyId, [...(byFamily.get(familyId) ?? []), { data: e.data as unknown as SpendRecorded['data'], metadata: e.metadata }]);
    }
    await inBatches([...byFamily.values()], 8, async (spends) => {
      for (const spend of spends) {
        if (whole.state.spends[spend.data.paymentId]?.reversed) continue;
        const actor = spend.metadata.actor as { userId: string; role: string; unit: string | null; partnerOrganisation: string | null };
        await this.payments
          .completeFromSpend(
            spend.data,
            {
              userId: actor.userId,
              role: actor.role as never,
              unit: (actor.unit ?? undefined) as never,
              partnerOrganisation: actor.partnerOrganisation ?? undefined,
            },
            spend.metadata,
          )
          .catch(() => undefined); // refused or unreachable: given back (or left to the recovery pass); the result says which
      }
    });
  }

  /** A run as recorded, with where each family's payments stand now. */
  async get(subProjectId: string, runId: string): Promise<PaymentRunResult | undefined> {
    const budget = await this.payments.budgets.load(subProjectStreamId(subProjectId));
    const run = Object.hasOwn(budget.state.runs, runId) ? budget.state.runs[runId] : undefined;
    return run && this.resultOf(subProjectId, run, false);
  }

  private async resultOf(subProjectId: string, run: PaymentRun, replayed: boolean): Promise<PaymentRunResult> {
    const budget = await this.payments.budgets.load(subProjectStreamId(subProjectId));
    const byFamily = new Map<string, string[]>();
    for (const paymentId of run.paymentIds) {
      const familyId = budget.state.spends[paymentId]?.familyId ?? '';
      byFamily.set(familyId, [...(byFamily.get(familyId) ?? []), paymentId]);
    }
    const families = await inBatches([...byFamily.entries()], LOAD_CONCURRENCY, async ([familyId, paymentIds]) => {
      const family = await this.payments.families.load(familyStreamId(familyId));
      const paid = paymentIds.every((id) => family.state.payments[id]);
      const givenBack = paymentIds.some((id) => budget.state.spends[id]?.reversed && !family.state.payments[id]);
      return {
        familyId,
        paymentIds,
        amountOre: paymentIds.reduce((sum, id) => sum + (budget.state.spends[id]?.amountOre ?? 0), 0),
        status: paid ? ('paid' as const) : givenBack ? ('given-back' as const) : ('pending' as const),
      };
    });
    return {
      subProjectId,
      runId: run.runId,
      replayed,
      description: run.description,
      count: run.count,
      totalOre: run.totalOre,
      totalBySemesterOre: run.totalBySemesterOre,
      remainingBySemesterOre: run.remainingBySemesterOre, // as the run left it: what a replay answers too
      families,
    };
  }
}
