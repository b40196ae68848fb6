import { randomUUID } from 'node:crypto';
import { addDays, localDateOf } from '@familievedtak/domain';
import { Headers, TestApp, headersFor } from '../../../../test/support/test-app';

export const navCaseworker: Headers = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
export const navApprover: Headers = headersFor({ userId: 'nav-ola', role: 'approver', unit: 'NAV' });
export const auditor: Headers = headersFor({ userId: 'eva-audit', role: 'auditor' });

/** The family an auditor looks into, and the instants between its turning points. */
export type AuditFamily = {
  familyId: string;
  adultId: string;
  childId: string;
  decisionId: string;
  consentId: string;
  /** The day the family's periods are laid around (today, Oslo, when seeded). */
  day: string;
  /** After approval and consent; after the amendment; after the revocation; after the withdrawal. */
  instants: { approved: Date; amended: Date; revoked: Date; withdrawn: Date };
};

/** An instant after everything recorded so far and before anything recorded next (a clock read that moved on). */
async function between(): Promise<Date> {
  const now = new Date();
  while (Date.now() <= now.getTime()) await new Promise((resolve) => setImmediate(resolve));
  return now;
}

/**
 * Amina (adult) and Yusuf (child): NAV registers them (NAV has a part in the case; Amina holds
 * parental responsibility for Yusuf), NAV's social assistance for Amina is approved, amended,
 * then revoked; Amina's consent for Yusuf to NAV is withdrawn last. Periods lie around
 * today, so the view as of each instant's day shows them running.
 *
 * (A copy of test/support/audit-family.ts under the part-in-the-case rules: consents name
 * until when and how they were given, withdrawals who expressed them and how.)
 */
export async function seedAuditFamily(api: TestApp): Promise<AuditFamily> {
  const ids = { familyId: randomUUID(), adultId: randomUUID(), childId: randomUUID(), decisionId: randomUUID(), consentId: randomUUID() };
  const day = localDateOf(new Date());
  const send = async (url: string, headers: Headers, body?: unknown) => {
    const response = await api.inject('POST', url, headers, body);
    if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  };
  const f = `/families/${ids.familyId}`;
  await send('/families', navCaseworker, {
    familyId: ids.familyId,
    district: 'Heimdal',
    members: [
      { memberId: ids.adultId, name: 'Amina Ødegård', birthDate: '1988-03-02', role: 'adult' },
      { memberId: ids.childId, name: 'Yusuf <Ødegård>', birthDate: '2016-09-14', role: 'child' },
    ],
    parentalResponsibility: [{ childId: ids.childId, holderId: ids.adultId, basis: 'birth-registration' }],
  });
  await send(`${f}/decisions`, navCaseworker, {
    decisionId: ids.decisionId,
    unit: 'NAV',
    decisionType: 'economic-social-assistance',
    memberIds: [ids.adultId],
    periodFrom: addDays(day, -30),
    periodUntil: addDays(day, 300),
    amounts: { monthlyAmountOre: 850000 },
    outcome: 'granted',
    reasons: { rulesApplied: ['sosialtjenesteloven § 18'], facts: 'Below the guideline.', summary: 'Below the guideline.' },
  });
  await send(`${f}/decisions/${ids.decisionId}/approve`, navApprover);
  await send(`${f}/consents`, navCaseworker, {
    consentId: ids.consentId,
    memberId: ids.childId,
    givenByMemberId: ids.adultId,
    kind: 'information-sharing',
    toUnits: ['NAV'],
    dataCategories: ['decisions', 'needs'],
    purpose: 'Én plan for familien',
    validFrom: addDays(day, -30),
    validUntil: addDays(day, 365),
    evidence: { form: 'written', documentRef: 'ARK-2026-17' },
  });
  await send(`${f}/needs`, navCaseworker, { needId: randomUUID(), memberId: ids.childId, words: 'Fotball på fritida', expressedOn: addDays(day, -10) });
  await send(`${f}/payments`, navCaseworker, {
    recipientMemberId: ids.adultId,
    amountOre: 850000,
    method: 'bank-transfer',
    funding: { kind: 'unit', unit: 'NAV' },
    answersDecisionId: ids.decisionId,
    documentationRef: 'BILAG-1',
    paidOn: addDays(day, -5),
    countsAsIncome: true,
  });
  const approved = await between();
  await send(`${f}/decisions/${ids.decisionId}/amend`, navApprover, {
    amounts: { monthlyAmountOre: 900000 },
    periodUntil: addDays(day, 200),
    reasons: 'Rent went up.',
    // A shorter period is to the party's detriment: a ground (fvl § 35) and advance notice or its waiver (fvl § 16).
    ground: 'reservation-in-decision',
    advanceNoticeWaiver: { ground: '§ 16 (3) c', explanation: 'Amina asked for the change.' },
  });
  const amended = await between();
  await send(`${f}/decisions/${ids.decisionId}/revoke`, navApprover, {
    reason: 'Amina started work.',
    ground: 'general-doctrine',
    advanceNoticeWaiver: { ground: '§ 16 (3) c', explanation: 'Amina told NAV herself.' },
  });
  const revoked = await between();
  await send(`${f}/consents/${ids.consentId}/withdraw`, navCaseworker, {
    reason: 'Amina wants to decide case by case.',
    expressedByMemberId: ids.adultId,
    channel: 'in-writing',
  });
  const withdrawn = await between();
  return { ...ids, day, instants: { approved, amended, revoked, withdrawn } };
}
