import { randomUUID } from 'node:crypto';
import createClient from 'openapi-fetch';
import type { components, paths } from './openapi';

/**
 * What a client team writes against the generated types: register a family, record a need and a
 * payment answering it, see a refusal by its code, and read the family view until it shows the
 * payment. Type-checked against types generated from the live document by
 * typed-client.e2e.spec.ts (a path, field or code that changes breaks the build there).
 */
export interface Walk {
  familyId: string;
  registeredRevision: number;
  paymentRevision: number;
  refusal: { status: number; code: string | undefined; documented: ReversalNotFound };
  view: { revision: number; totalOre: number; payments: number; paidOn: string };
}

/** The codes the reversal documents for 404: a literal union, so a code that stops being documented fails to compile. */
type ReversalNotFound = NonNullable<
  paths['/families/{familyId}/payments/{paymentId}/reverse']['post']['responses'][404]['content']['application/problem+json']['code']
>;
/** Problem details as generated from the ProblemDetails schema. */
export type Problem = components['schemas']['ProblemDetailsDto'];

export async function walkFamily(baseUrl: string, bearerToken: string, fetchImpl: typeof fetch = fetch): Promise<Walk> {
  const client = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${bearerToken}` }, fetch: fetchImpl });
  const familyId = randomUUID();
  const adultId = randomUUID();
  const needId = randomUUID();

  const registered = await client.POST('/families', {
    body: { familyId, district: 'Heimdal', members: [{ memberId: adultId, name: 'Amina', birthDate: '1988-03-02', role: 'adult', nationalId: null }] },
  });
  if (!registered.data) throw new Error(`registerFamily: ${registered.response.status} ${registered.error?.code ?? ''} ${registered.error?.detail ?? ''}`);

  const need = await client.POST('/families/{familyId}/needs', {
    params: { path: { familyId } },
    body: { needId, memberId: adultId, words: 'A driving licence so I can take the job in Orkanger' },
  });
  if (!need.data) throw new Error(`expressNeed: ${need.response.status} ${need.error?.code ?? ''}`);

  // The day in Oslo, as the API decides on (the UTC date differs in the hour(s) before midnight).
  const paidOn = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date());
  const payment = await client.POST('/families/{familyId}/payments', {
    params: { path: { familyId }, header: { 'If-Match': `"${need.data.revision}"` } },
    body: {
      recipientMemberId: adultId,
      amountOre: 160000,
      method: 'bank-transfer',
      funding: { kind: 'unit', unit: 'NAV' },
      answersNeedId: needId,
      answersDecisionId: null,
      documentationRef: 'BILAG-2026-1142',
      paidOn,
    },
  });
  if (!payment.data) throw new Error(`recordPayment: ${payment.response.status} ${payment.error?.code ?? ''}`);

  // A refusal is typed problem details; the 404 codes the route documents are a literal union (ReversalNotFound).
  const reversed = await client.POST('/families/{familyId}/payments/{paymentId}/reverse', {
    params: { path: { familyId, paymentId: randomUUID() } },
    body: { reason: 'Paid twice' },
  });
  if (!reversed.error) throw new Error('reversing an unknown payment succeeded');
  const problem: Problem = reversed.error;
  const documented: ReversalNotFound = 'PAYMENT_NOT_FOUND';

  // The view follows the log within moments: read until it reflects the payment's revision.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const view = await client.GET('/families/{familyId}', { params: { path: { familyId } } });
    if (view.data && view.data.revision >= payment.data.revision) {
      const total: number = view.data.payments.totals.totalOre;
      return {
        familyId,
        registeredRevision: registered.data.revision,
        paymentRevision: payment.data.revision,
        refusal: { status: reversed.response.status, code: problem.code, documented },
        view: { revision: view.data.revision, totalOre: total, payments: view.data.payments.items.length, paidOn: view.data.payments.items[0]?.paidOn ?? '' },
      };
    }
    if (view.error && view.response.status !== 404) throw new Error(`getFamilyView: ${view.response.status} ${view.error.code ?? view.error.detail}`);
    if (Date.now() > deadline) throw new Error(`the view did not reach revision ${payment.data.revision} within 10 s`);
  }
}
