import { randomUUID } from 'node:crypto';
import { decisionTypeEntry, type DecisionTypeCode, type Unit } from '@familievedtak/domain';
import { Headers, TestApp, headersFor } from './test-app';

/**
 * Helpers for the part-in-the-case rules: a family is registered by one unit, and another
 * unit takes part only by accepting a referral (which needs the members' consent naming it,
 * or the duty to inform child welfare). Consents carry evidence and an end date.
 */

/** A caseworker (or another municipal role) of a unit. */
export const staff = (unit: Unit, role: 'caseworker' | 'approver' | 'unit-leader' = 'caseworker', userId = `${unit.toLowerCase()}-${role}`): Headers =>
  headersFor({ userId, role, unit });

/** A partner user of an organisation (token claim org). */
export const partner = (org: string, userId = `partner-${org.replace(/\W/g, '').slice(0, 12)}`): Headers => headersFor({ userId, role: 'partner', org });

/** Organisation numbers of the partners used in the tests (9 digits, compared exactly). */
export const RED_CROSS = '974123456';
export const SAUPSTAD_IL = '998877665';
export const DRIVING_SCHOOL = '912345678';

/** Until when test consents hold: always in the future of the test run. */
export const CONSENT_UNTIL = `${new Date().getUTCFullYear() + 2}-12-31`;
export const CONSENT_FROM = `${new Date().getUTCFullYear()}-01-01`;

export const writtenEvidence = (documentRef = `SAMTYKKE-${randomUUID().slice(0, 8)}`) => ({ form: 'written' as const, documentRef });

/** An information-sharing consent body (the recording unit's records by default) with written evidence. */
export function consentBody(memberId: string, givenByMemberId: string, toUnits: Unit[], extra: Record<string, unknown> = {}) {
  return {
    memberId,
    givenByMemberId,
    kind: 'information-sharing',
    toUnits,
    dataCategories: ['needs', 'decisions', 'payments'],
    purpose: 'Coordinate help for the family',
    validFrom: CONSENT_FROM,
    validUntil: CONSENT_UNTIL,
    evidence: writtenEvidence(),
    ...extra,
  };
}

export interface MemberSpec {
  memberId?: string;
  name: string;
  birthDate: string;
  role: 'adult' | 'child';
  addressProtection?: 'none' | 'fortrolig' | 'strengt-fortrolig';
}

/** Posts and fails the test with the answer when it is not 2xx. */
export async function send(api: TestApp, method: 'POST' | 'PUT', url: string, headers: Headers, body?: unknown) {
  const response = await api.inject(method, url, headers, body ?? {});
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response;
}

/**
 * Registers a family by `registrar`; every child gets every adult as holder of parental
 * responsibility unless `parentalResponsibility` says otherwise. Returns the ids by name.
 */
export async function registerFamily(
  api: TestApp,
  registrar: Headers,
  members: MemberSpec[],
  options: { familyId?: string; district?: string; parentalResponsibility?: { childId: string; holderId: string }[] } = {},
) {
  const familyId = options.familyId ?? randomUUID();
  const withIds = members.map((m) => ({ ...m, memberId: m.memberId ?? randomUUID() }));
  const adults = withIds.filter((m) => m.role === 'adult');
  const children = withIds.filter((m) => m.role === 'child');
  const parentalResponsibility =
    options.parentalResponsibility ??
    children.flatMap((child) =>
      ageOf(child.birthDate) < 18 ? adults.map((adult) => ({ childId: child.memberId, holderId: adult.memberId, basis: 'birth-registration' })) : [],
    );
  await send(api, 'POST', '/families', registrar, { familyId, district: options.district ?? 'Heimdal', members: withIds, parentalResponsibility });
  return { familyId, members: withIds, ids: Object.fromEntries(withIds.map((m) => [m.name, m.memberId])) as Record<string, string> };
}

function ageOf(birthDate: string): number {
  const today = new Date().toISOString().slice(0, 10);
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/**
 * Gives `to` a part: `from` (a unit with a part) records for each member a consent naming
 * `toUnit` (given by `givers[memberId]`, default the member), refers them and `to` accepts.
 * Returns the referral id and the consent ids by member.
 */
export async function referAndAccept(
  api: TestApp,
  familyId: string,
  from: Headers,
  to: Headers,
  toUnit: Unit,
  memberIds: string[],
  givers: Record<string, string> = {},
) {
  const consentIds: Record<string, string> = {};
  for (const memberId of memberIds) {
    const consentId = randomUUID();
    await send(api, 'POST', `/families/${familyId}/consents`, from, { ...consentBody(memberId, givers[memberId] ?? memberId, [toUnit]), consentId });
    consentIds[memberId] = consentId;
  }
  const referralId = randomUUID();
  await send(api, 'POST', `/families/${familyId}/referrals`, from, { referralId, toUnit, memberIds, reason: `The family needs ${toUnit}'s services` });
  await send(api, 'POST', `/families/${familyId}/referrals/${referralId}/accept`, to);
  return { referralId, consentIds };
}

/** Events on one stream: a refused request must leave it unchanged. */
export async function streamCount(api: TestApp, streamId: string): Promise<number> {
  const { rows } = await api.db.pool.query('SELECT count(*)::int AS n FROM event_store.events WHERE stream_id = $1', [streamId]);
  return rows[0].n;
}

export const familyStream = (familyId: string) => `family-${familyId}`;
export const subProjectStream = (subProjectId: string) => `subproject-${subProjectId}`;

/**
 * Approves a sub-project by `leader` (the responsible unit's unit leader) with a municipal actor
 * and two partners by organisation number; `payers` are the organisation numbers given leave to pay.
 */
export async function approveSubProject(
  api: TestApp,
  leader: Headers,
  responsibleUnit: Unit,
  options: { subProjectId?: string; payers?: string[]; partners?: { name: string; organisationNumber: string }[]; name?: string } = {},
) {
  const subProjectId = options.subProjectId ?? `sp-${randomUUID().slice(0, 8)}`;
  const partners = options.partners ?? [
    { name: 'Trondheim Red Cross', organisationNumber: RED_CROSS },
    { name: 'Saupstad IL', organisationNumber: SAUPSTAD_IL },
  ];
  await send(api, 'POST', '/sub-projects', leader, {
    subProjectId,
    name: options.name ?? 'Leisure for every child',
    actors: [
      { name: `${responsibleUnit} Heimdal`, municipal: true, unit: responsibleUnit },
      ...partners.map((p) => ({ ...p, municipal: false, mayRecordPayments: (options.payers ?? []).includes(p.organisationNumber) })),
    ],
    responsibleUnit,
    goals: ['Every child in the families takes part in a leisure activity'],
    firstSemester: `${new Date().getUTCFullYear()}-${new Date().getUTCMonth() < 6 ? 'spring' : 'autumn'}`,
  });
  return subProjectId;
}

/** The semester a payment made today falls in. */
export const currentSemester = () => `${new Date().getUTCFullYear()}-${new Date().getUTCMonth() < 6 ? 'spring' : 'autumn'}`;

/** Enrols members in a sub-project (by its responsible unit); returns the enrolment id. */
export async function enrol(api: TestApp, familyId: string, responsible: Headers, subProjectId: string, memberIds: string[]) {
  const enrolmentId = randomUUID();
  await send(api, 'POST', `/families/${familyId}/enrolments`, responsible, { enrolmentId, subProjectId, memberIds });
  return enrolmentId;
}

/**
 * Decisions as the law makes them (issue 13): the caller never says whether it is an enkeltvedtak
 * (the catalogue does, fvl § 2); it gives the outcome and structured reasons (fvl §§ 24-25) and,
 * for every member under 18 on the decision day, the child's voice (barnekonvensjonen art. 12).
 */
export interface ProposalSpec {
  decisionId?: string;
  unit: Unit;
  decisionType: DecisionTypeCode;
  memberIds: string[];
  periodFrom: string;
  periodUntil: string;
  amounts?: { monthlyAmountOre?: number; oneOffAmountOre?: number };
  outcome?: 'granted' | 'partly-granted' | 'refused';
  /** What the party reads first; also the facts unless `facts` says otherwise. */
  summary?: string;
  facts?: string;
  /** Required unless granted (a default is given then). */
  mainConsiderations?: string;
  /** The members under 18 among `memberIds`: each is recorded as heard (see childViewsFor). */
  children?: string[];
  /** The child's voice as recorded, in place of `children`'s defaults. */
  childViews?: Array<Record<string, unknown>>;
  subProjectId?: string;
  legalBasis?: string;
}

/** One child heard in conversation before the decision, with the views and their weight. */
export const childHeard = (memberId: string, heardOn = CONSENT_FROM) => ({
  memberId,
  heard: true as const,
  how: 'conversation' as const,
  heardOn,
  views: 'Wants things to stay as they are at school.',
  weight: 'Given weight by age and maturity.',
});

/** The child's voice for each member under 18 a decision is about (heard before the decision). */
export const childViewsFor = (childIds: string[], heardOn = CONSENT_FROM) => childIds.map((id) => childHeard(id, heardOn));

/** A valid new-shape proposal body: the rule applied is the catalogue's legal basis for the type. */
export function proposalBody(spec: ProposalSpec) {
  const entry = decisionTypeEntry(spec.decisionType);
  const outcome = spec.outcome ?? 'granted';
  const summary = spec.summary ?? `${entry.label} from ${spec.periodFrom} to ${spec.periodUntil}.`;
  return {
    ...(spec.decisionId ? { decisionId: spec.decisionId } : {}),
    unit: spec.unit,
    decisionType: spec.decisionType,
    memberIds: spec.memberIds,
    periodFrom: spec.periodFrom,
    periodUntil: spec.periodUntil,
    ...(spec.amounts ? { amounts: spec.amounts } : {}),
    ...(spec.legalBasis ? { legalBasis: spec.legalBasis } : {}),
    outcome,
    reasons: {
      rulesApplied: entry.defaultLegalBasis ? [entry.defaultLegalBasis] : [],
      facts: spec.facts ?? summary,
      mainConsiderations: spec.mainConsiderations ?? (outcome === 'granted' ? null : 'The need was weighed against the guideline.'),
      summary,
    },
    ...(spec.childViews ? { childViews: spec.childViews } : spec.children?.length ? { childViews: childViewsFor(spec.children) } : {}),
    ...(spec.subProjectId ? { subProjectId: spec.subProjectId } : {}),
  };
}

/**
 * What a change to the party's detriment (a revocation, less money, a shorter period) needs besides
 * its own fields: a fvl § 35 (1) ground and, in place of an advance notice (fvl § 16), a waiver on a
 * third-paragraph ground. Takes effect today unless `effectiveFrom` says otherwise.
 */
export function detrimentalChange(
  options: { effectiveFrom?: string; ground?: 'not-yet-notified' | 'invalid' | 'reservation-in-decision' | 'general-doctrine'; explanation?: string } = {},
) {
  return {
    ...(options.effectiveFrom ? { effectiveFrom: options.effectiveFrom } : {}),
    ground: options.ground ?? 'general-doctrine',
    advanceNoticeWaiver: { ground: '§ 16 (3) c' as const, explanation: options.explanation ?? 'The party asked for the change and knows of it.' },
  };
}

/** A revocation body (fvl § 35) with a ground and an advance-notice waiver (fvl § 16). */
export function revokeBody(reason: string, options: Parameters<typeof detrimentalChange>[0] = {}) {
  return { reason, ...detrimentalChange(options) };
}
