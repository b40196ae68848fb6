import { randomUUID } from 'node:crypto';
import type { Role } from '@familievedtak/domain';
import type { Clock } from '@familievedtak/event-store';
import { ROUTE_POLICIES } from '../../apps/api/src/auth/route-policies';
import { CLOCK } from '../../apps/api/src/shared/clock.provider';
import { EXAMPLE_DAYS, EXAMPLE_IDS } from '../../apps/api/src/shared/openapi/examples';
import { createTestApp, headersFor, TestApp, TokenRequest } from '../support/test-app';

/**
 * Posts every request example of the OpenAPI document (each named example of an operation), as a
 * role the route admits, with the path parameters of the example story (the family the
 * registration example creates, its need, decision, appeal, plan...), with the app's clock on the
 * day the story posts it (EXAMPLE_DAYS). No example may be refused by validation (400): a client
 * team copies them. Each answer must be a status the operation documents, and the examples that
 * tell the story must succeed, in this order: the family, its need, a payment, consents, the
 * family plan, a decision proposed; the sub-project and rule set; the decision approved and
 * notified, appealed, assessed, prepared, forwarded to the appeal body and upheld there; advance
 * notice, Amina's answer, the revocation.
 */
interface Operation {
  operationId: string;
  requestBody?: { content?: Record<string, { example?: unknown; examples?: Record<string, { value: unknown }>; schema?: { example?: unknown } }> };
  responses: Record<string, unknown>;
}

const STORY = [
  'registerFamily',
  'joinMember',
  'joinContactPerson',
  'expressNeed',
  'recordPayment',
  'giveConsent',
  'recordFamilyPlan',
  'proposeDecision',
  'approveSubProject',
  'draftRuleSet',
  'explainCompetence',
  'activateRuleSet',
  'approveDecision',
  'sendNotification',
  'recordNotificationReceived',
  'registerAppeal',
  'assessAppealForm',
  'prepareAppeal',
  'forwardAppeal',
  'recordAppealOutcome',
  'sendAdvanceNotice',
  'recordPartyStatement',
  'revokeDecision',
];

/** The second person of four-eyes: these are posted by NAV's approver (the proposer is NAV's caseworker). */
const APPROVER_ACTS = new Set([
  'approveDecision',
  'rejectDecision',
  'amendDecision',
  'revokeDecision',
  'dismissAppeal',
  'changeDecisionOnAppeal',
  'forwardAppeal',
  'decideSuspension',
  'issueFamilyDecision',
]);

const PATH_VALUES: Record<string, string> = {
  familyId: EXAMPLE_IDS.familyId,
  memberId: EXAMPLE_IDS.newMemberId,
  needId: EXAMPLE_IDS.needId,
  consentId: EXAMPLE_IDS.consentId,
  decisionId: EXAMPLE_IDS.decisionId,
  paymentId: EXAMPLE_IDS.paymentId,
  appealId: EXAMPLE_IDS.appealId,
  notificationId: EXAMPLE_IDS.notificationId,
  noticeId: EXAMPLE_IDS.noticeId,
  letterId: EXAMPLE_IDS.letterId,
  planId: EXAMPLE_IDS.planId,
  referralId: EXAMPLE_IDS.referralId,
  enrolmentId: EXAMPLE_IDS.enrolmentId,
  personId: EXAMPLE_IDS.contactPersonId,
  subProjectId: EXAMPLE_IDS.subProjectId,
  ruleSetId: 'example-nav-only',
};

/** NAV staff for municipal routes (NAV registers the example family and is the sub-project's responsible unit). */
const caller = (role: Role): TokenRequest =>
  role === 'caseworker' || role === 'approver' || role === 'unit-leader'
    ? { userId: `nav-${role}`, role, unit: 'NAV' }
    : role === 'partner'
      ? { userId: 'rk-partner', role, org: '974123456' }
      : { userId: `${role}-1`, role };

describe('OpenAPI document: every request example passes validation and answers a documented status', () => {
  let api: TestApp;
  let clock: Clock;
  let systemNow: Clock['now'];
  let examples: Array<{ method: string; path: string; operation: Operation; body: unknown }>;
  let withoutExample: string[];

  beforeAll(async () => {
    api = await createTestApp({ poolSize: 3 });
    clock = api.app.get<Clock>(CLOCK);
    systemNow = clock.now;
    const document = (await api.inject('GET', '/docs-json', {})).json() as { paths: Record<string, Record<string, Operation>> };
    withoutExample = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).flatMap(([method, operation]) => {
        const json = operation.requestBody?.content?.['application/json'];
        return json && !json.examples && json.example === undefined && json.schema?.example === undefined ? [`${method.toUpperCase()} ${path}`] : [];
      }),
    );
    examples = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).flatMap(([method, operation]) => {
        const json = operation.requestBody?.content?.['application/json'];
        const bodies = json?.examples ? Object.values(json.examples).map((example) => example.value) : [json?.example ?? json?.schema?.example];
        return bodies.filter((body) => body !== undefined).map((body) => ({ method: method.toUpperCase(), path, operation, body }));
      }),
    );
  });
  afterAll(async () => {
    if (clock) clock.now = systemNow;
    await api?.close();
  });

  it('has an example for every operation that takes a JSON body', () => {
    expect(withoutExample).toEqual([]);
    expect(examples.length).toBeGreaterThan(30);
  });

  it('posts each example: the story succeeds, nothing is a validation error, every answer is documented', async () => {
    const ordered = [...examples].sort((a, b) => rank(a.operation.operationId) - rank(b.operation.operationId));
    const answers: string[] = [];
    const failures: string[] = [];
    for (const { method, path, operation, body } of ordered) {
      const route = `${method} ${path.replace(/\{([^}]+)\}/g, ':$1')}`;
      const admitted = ROUTE_POLICIES[route];
      if (!admitted?.length) {
        failures.push(`${operation.operationId}: no route policy for ${route}`);
        continue;
      }
      const role = APPROVER_ACTS.has(operation.operationId) && admitted.includes('approver') ? 'approver' : admitted[0];
      const day = EXAMPLE_DAYS[operation.operationId];
      if (day) clock.now = () => new Date(`${day}T10:00:00.000Z`);
      const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => PATH_VALUES[name] ?? randomUUID());
      const response = await api.inject(method as 'POST' | 'PUT', url, headersFor(caller(role)), body);
      const status = String(response.statusCode);
      answers.push(`${operation.operationId} ${status}`);
      const describe = `${operation.operationId} (${method} ${url}) -> ${status} ${response.body.slice(0, 300)}`;
      if (status === '400') failures.push(`example refused by validation: ${describe}`);
      else if (!(status in operation.responses)) failures.push(`undocumented status: ${describe}`);
      else if (STORY.includes(operation.operationId) && !status.startsWith('2')) failures.push(`story example did not succeed: ${describe}`);
    }
    expect(failures).toEqual([]);
    // The story ran: every one of its steps had an example to post.
    expect(STORY.filter((id) => !answers.some((a) => a.startsWith(`${id} `)))).toEqual([]);
  }, 120_000);
});

const rank = (operationId: string) => (STORY.includes(operationId) ? STORY.indexOf(operationId) : STORY.length);
