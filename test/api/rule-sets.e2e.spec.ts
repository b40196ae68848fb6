import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';
import { consentBody, referAndAccept, send } from '../support/parts';

const analyst: Headers = headersFor({ userId: 'rules-ragnhild', role: 'rules-analyst' });
const leader: Headers = headersFor({ userId: 'hvk-leder', role: 'unit-leader', unit: 'HVK' });
const navCaseworker: Headers = headersFor({ userId: 'nav-nina', role: 'caseworker', unit: 'NAV' });
const hvkCaseworker: Headers = headersFor({ userId: 'hvk-kari', role: 'caseworker', unit: 'HVK' });
/** Reads the decisions of every unit (a caseworker would see only their own unit's). */
const auditor: Headers = headersFor({ userId: 'audit-anne', role: 'auditor' });
const document = (name: string) => readFileSync(join(__dirname, '../../libs/rules/rule-sets', `${name}.yaml`), 'utf8');
const yaml = (headers: Headers) => ({ ...headers, 'content-type': 'text/yaml' });

describe('API: delegation rule sets (PostgreSQL)', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp();
  });
  afterAll(() => api.close());
  const inject: TestApp['inject'] = (...args) => api.inject(...args);

  async function registerCoordinatedFamily() {
    const familyId = randomUUID();
    const adultId = randomUUID();
    const childId = randomUUID();
    const registered = await inject('POST', '/families', navCaseworker, {
      familyId,
      district: 'Lerkendal',
      members: [
        { memberId: adultId, name: 'Amina', birthDate: '1990-04-02', role: 'adult' },
        { memberId: childId, name: 'Yusuf', birthDate: '2021-09-15', role: 'child' },
      ],
      parentalResponsibility: [{ childId, holderId: adultId }],
    });
    expect(registered.statusCode).toBe(201);
    // Amina agrees that NAV coordinates, and HVK takes part through a referral her consent allows.
    await send(api, 'POST', `/families/${familyId}/consents`, navCaseworker, { ...consentBody(adultId, adultId, ['NAV']), kind: 'coordination', dataCategories: ['decisions'] });
    await referAndAccept(api, familyId, navCaseworker, hvkCaseworker, 'HVK', [adultId]);
    const joined = await inject('POST', `/families/${familyId}/team`, navCaseworker, {
      personId: 'nav-nina',
      name: 'Nina',
      affiliation: { kind: 'unit', unit: 'NAV' },
    });
    expect(joined.statusCode).toBe(201);
    expect((await inject('PUT', `/families/${familyId}/coordinating-unit`, navCaseworker, { unit: 'NAV' })).statusCode).toBe(200);
    return { familyId, adultId, childId };
  }

  const propose = (familyId: string, headers: Headers, body: Record<string, unknown>) =>
    inject('POST', `/families/${familyId}/decisions`, headers, { reasons: 'As the family asked.', ...body });

  it('refuses an invalid document with line-level errors as 422 problem details, appending nothing', async () => {
    const before = await api.eventCount();
    const broken = document('family-decision').replace('units: [NAV]', 'units: [NAV, KOMMUNE]');
    const response = await inject('POST', '/rule-sets', analyst, { document: broken });
    expect(response.statusCode).toBe(422);
    const problem = response.json();
    expect(problem.code).toBe('INVALID_RULE_SET_DOCUMENT');
    expect(problem.errors).toEqual([expect.stringMatching(/^line \d+, column \d+: rules\[\d+\]\.units\[1\]: must be one of HVK, BFT, NAV, INN, OPPVEKST$/)]);
    const line = Number(/^line (\d+)/.exec(problem.errors[0])![1]);
    expect(broken.split('\n')[line - 1]).toContain('KOMMUNE');
    expect(await api.eventCount()).toBe(before);
  });

  it('lets only a rules analyst draft and only a unit leader activate', async () => {
    const before = await api.eventCount();
    expect((await inject('POST', '/rule-sets', yaml(hvkCaseworker), document('place-based-team'))).statusCode).toBe(403);
    expect(await api.eventCount()).toBe(before);
    // The shipped document is loaded at start-up; a changed one under a new version is drafted.
    const v2 = document('place-based-team').replace('version: 1', 'version: 2').replace('fourEyesAboveOre: 500000', 'fourEyesAboveOre: 400000');
    const drafted = await inject('POST', '/rule-sets', yaml(analyst), v2);
    expect(drafted.statusCode).toBe(201);
    expect(drafted.json()).toMatchObject({ ruleSetId: 'place-based-team', version: 2, streamId: 'ruleset-place-based-team', replayed: false });
    expect((await inject('POST', '/rule-sets/place-based-team/activate', analyst, { effectiveFrom: '2031-01-01' })).statusCode).toBe(403);
    const got = (await inject('GET', '/rule-sets/place-based-team', analyst)).json();
    expect(got.versions).toEqual([
      expect.objectContaining({ version: 1, status: 'draft', format: 'yaml', effectiveFrom: null, draftedBy: 'familievedtak-bootstrap' }),
      expect.objectContaining({ version: 2, status: 'draft', format: 'yaml', effectiveFrom: null, draftedBy: 'rules-ragnhild' }),
    ]);
  });

  it('enforces the set in force on the decision date: refused under one set, permitted under another', async () => {
    const { familyId, adultId, childId } = await registerCoordinatedFamily();
    // Shipped and loaded at start-up: drafting the same document again is that version (200, nothing appended).
    const again = await inject('POST', '/rule-sets', { ...analyst, 'content-type': 'application/json' }, { document: document('family-decision') });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ ruleSetId: 'family-decision', version: 1, replayed: true, events: [] });
    expect((await inject('POST', '/rule-sets/family-decision/activate', leader, { effectiveFrom: '2030-01-01' })).statusCode).toBe(200);
    expect((await inject('POST', '/rule-sets/place-based-team/activate', leader, { version: 1, effectiveFrom: '2031-01-01' })).statusCode).toBe(200);

    const childWelfare = (periodFrom: string) => ({
      unit: 'NAV',
      decisionType: 'child-welfare-support-measure',
      memberIds: [childId],
      periodFrom,
      periodUntil: `${periodFrom.slice(0, 4)}-12-31`,
    });
    // Before the switch: the 2023 baseline, where only BFT decides child welfare.
    const before = await api.eventCount();
    const refused = await propose(familyId, navCaseworker, childWelfare('2029-12-01'));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('NOT_COMPETENT');
    expect(refused.json().detail).toContain('trondheim-2023');
    expect(await api.eventCount()).toBe(before);

    // From 2030-01-01: the family's coordinating unit (NAV) may decide it.
    const decisionId = randomUUID();
    const permitted = await propose(familyId, navCaseworker, { ...childWelfare('2030-02-01'), decisionId });
    expect(permitted.statusCode).toBe(201);
    const state = (await inject('GET', `/families/${familyId}/stream-state`, navCaseworker)).json().state;
    expect(state.decisions[decisionId].delegation).toEqual({
      ruleSetId: 'family-decision',
      ruleSetVersion: 1,
      ruleId: 'coordinating-unit-child-welfare-support-measure',
    });

    // HVK may not decide social assistance in 2030 (family decision set) but may from 2031 (district team).
    const assistance = (periodFrom: string) => ({
      unit: 'HVK',
      decisionType: 'economic-social-assistance',
      memberIds: [adultId],
      periodFrom,
      periodUntil: `${periodFrom.slice(0, 4)}-12-31`,
      amounts: { monthlyAmountOre: 100_000 },
    });
    const in2030 = await propose(familyId, hvkCaseworker, assistance('2030-06-01'));
    expect(in2030.statusCode).toBe(403);
    expect(in2030.json().detail).toContain('family-decision');
    const teamDecisionId = randomUUID();
    expect((await propose(familyId, hvkCaseworker, { ...assistance('2031-02-01'), decisionId: teamDecisionId })).statusCode).toBe(201);
    const after = (await inject('GET', `/families/${familyId}/stream-state`, auditor)).json().state;
    expect(after.decisions[teamDecisionId]).toMatchObject({
      delegation: { ruleSetId: 'place-based-team', ruleSetVersion: 1, ruleId: 'district-team-economic-social-assistance' },
      // Below the place-based set's four-eyes threshold.
      fourEyes: false,
    });

    // Retired: 2031 falls back to the family-decision set.
    expect((await inject('POST', '/rule-sets/place-based-team/retire', leader, { reason: 'Not adopted by the council.' })).statusCode).toBe(200);
    const retired = await propose(familyId, hvkCaseworker, assistance('2031-03-01'));
    expect(retired.statusCode).toBe(403);
    expect(retired.json().detail).toContain('family-decision');

    const listing = (await inject('GET', '/rule-sets', analyst)).json();
    expect(listing.activations).toEqual([
      { ruleSetId: 'trondheim-2023', version: 1, effectiveFrom: '2023-01-01' },
      { ruleSetId: 'family-decision', version: 1, effectiveFrom: '2030-01-01' },
    ]);
    expect(listing.ruleSets.map((r: { ruleSetId: string }) => r.ruleSetId)).toEqual(['family-decision', 'place-based-team', 'trondheim-2023']);
  });

  it('a second version of a set takes over from its own effective date', async () => {
    const changed = document('family-decision').replace(/  - id: coordinating-unit-child-welfare-support-measure[\s\S]*?(?=  - id: )/, '');
    // Other rules under the version stored already: refused, nothing appended.
    const before = await api.eventCount();
    const conflict = await inject('POST', '/rule-sets', yaml(analyst), changed);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({ code: 'RULE_SET_VERSION_CONFLICT', detail: expect.stringContaining('version 1 is stored with other rules') });
    expect(await api.eventCount()).toBe(before);
    const v2 = changed.replace('version: 1', 'version: 2');
    const drafted = await inject('POST', '/rule-sets', yaml(analyst), v2);
    expect(drafted.statusCode).toBe(201);
    expect(drafted.json()).toMatchObject({ version: 2 });
    const stored = (await inject('GET', '/rule-sets/family-decision', analyst)).json().versions[1];
    expect(stored).toMatchObject({ version: 2, document: v2, ruleSet: { version: 2 } });
    // The same again: the version it names, nothing new.
    const replayed = await inject('POST', '/rule-sets', yaml(analyst), v2);
    expect([replayed.statusCode, replayed.json().version, replayed.json().replayed]).toEqual([200, 2, true]);
    // Left without a version of its own, a changed document becomes the next version.
    const unnumbered = v2.replace('version: 2\n', '').replace(/name: "([^"]*)"/, 'name: "$1 (unnumbered)"');
    expect((await inject('POST', '/rule-sets', yaml(analyst), unnumbered)).json()).toMatchObject({ version: 3, replayed: false });
    expect((await inject('POST', '/rule-sets/family-decision/activate', leader, { version: 2, effectiveFrom: '2032-01-01' })).statusCode).toBe(200);
    const { familyId, childId } = await registerCoordinatedFamily();
    const body = (periodFrom: string) => ({ unit: 'NAV', decisionType: 'child-welfare-support-measure', memberIds: [childId], periodFrom, periodUntil: `${periodFrom.slice(0, 4)}-12-31` });
    expect((await propose(familyId, navCaseworker, body('2031-06-01'))).statusCode).toBe(201);
    const refused = await propose(familyId, navCaseworker, body('2032-06-01'));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toContain('family-decision');
  });

  it('explains a decision: the matching rule and why every other rule did not match', async () => {
    const response = await inject('POST', '/rule-sets/family-decision/explain?version=1', analyst, {
      decisionType: 'child-welfare-support-measure',
      unit: 'NAV',
      date: '2030-03-01',
      members: [{ memberId: 'c', age: 9 }],
      family: { district: 'Lerkendal', coordinatingUnit: 'NAV' },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ ruleSetId: 'family-decision', version: 1, permitted: true, ruleId: 'coordinating-unit-child-welfare-support-measure', decider: 'NAV' });
    expect(body.explanation).toHaveLength(23);
    expect(body.explanation.find((e: { ruleId: string }) => e.ruleId === 'bft-child-welfare-support')).toEqual({
      ruleId: 'bft-child-welfare-support',
      outcome: 'not-matched',
      reasons: ["only BFT may decide 'Child welfare support measure', not NAV"],
    });
    const invalid = await inject('POST', '/rule-sets/family-decision/explain', analyst, { decisionType: 'haircut', unit: 'NAV', date: '2030-03-01', members: [] });
    expect(invalid.statusCode).toBe(422);
    expect((await inject('POST', '/rule-sets/nope/explain', analyst, {})).statusCode).toBe(404);
  });
});
