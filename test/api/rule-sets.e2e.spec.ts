import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { addDays, localDateOf, type LocalDate } from '@familievedtak/domain';
import type { Clock } from '@familievedtak/event-store';
import { tokenFromArgs } from '../../apps/cli/src/token';
import { CLOCK } from '../../apps/api/src/shared/clock.provider';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';
import { consentBody, referAndAccept, send } from '../support/parts';

const analyst: Headers = headersFor({ userId: 'rules-ragnhild', role: 'rules-analyst' });
const leader: Headers = headersFor({ userId: 'hvk-leder', role: 'unit-leader', unit: 'HVK' });
/** Acts on the chief executive's delegation decisions (kommuneloven § 13-1). */
const authority: Headers = headersFor({ userId: 'kd-kristin', role: 'delegation-authority' });
const navCaseworker: Headers = headersFor({ userId: 'nav-nina', role: 'caseworker', unit: 'NAV' });
const hvkCaseworker: Headers = headersFor({ userId: 'hvk-kari', role: 'caseworker', unit: 'HVK' });
const document = (name: string) => readFileSync(join(__dirname, '../../libs/rules/rule-sets', `${name}.yaml`), 'utf8');
const yaml = (headers: Headers) => ({ ...headers, 'content-type': 'text/yaml' });

describe('API: delegation rule sets (PostgreSQL)', () => {
  let api: TestApp;
  /** Today by the API's own injected clock (activations may not be before it). */
  let today: LocalDate;
  beforeAll(async () => {
    api = await createTestApp();
    today = localDateOf(api.app.get<Clock>(CLOCK).now());
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
    await send(api, 'POST', `/families/${familyId}/consents`, navCaseworker, {
      ...consentBody(adultId, adultId, ['NAV']),
      kind: 'coordination',
      dataCategories: ['decisions'],
    });
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

  /** A proposal as the decision routes take it; the child (if named) was heard today. */
  const propose = (familyId: string, headers: Headers, body: Record<string, unknown>, childId?: string) =>
    inject('POST', `/families/${familyId}/decisions`, headers, {
      outcome: 'granted',
      reasons: { rulesApplied: ['forskrift om foreldrebetaling i barnehager § 3'], facts: 'As the family asked.', summary: 'Granted as asked.' },
      ...(childId
        ? {
            childViews: [
              {
                memberId: childId,
                heard: true,
                how: 'conversation',
                heardOn: today,
                views: 'Likes the kindergarten.',
                weight: 'Given weight for a five-year-old.',
              },
            ],
          }
        : {}),
      ...body,
    });
  const decision = (decidedOn: LocalDate) => ({ body: 'kommunedirektøren', decidedOn, caseNumber: '2026/4711' });
  const activate = (ruleSetId: string, headers: Headers, body: Record<string, unknown>) => inject('POST', `/rule-sets/${ruleSetId}/activate`, headers, body);

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

  it('NAV-loven § 13: a rule letting OPPVEKST decide economic social assistance is refused at drafting (422 names rule, type, provision), appending nothing', async () => {
    const before = await api.eventCount();
    const unlawful = document('trondheim-2023')
      .replace('id: trondheim-2023', 'id: oppvekst-assistance')
      .replace(/(id: nav-social-assistance\n\s+decisionType: economic-social-assistance\n\s+units: )\[NAV\]/, '$1[NAV, OPPVEKST]');
    const response = await inject('POST', '/rule-sets', yaml(analyst), unlawful);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'RULE_OUTSIDE_LEGAL_LIMITS', detail: expect.stringContaining('NAV-loven § 13') });
    expect(response.json().errors).toEqual([
      expect.objectContaining({
        ruleId: 'nav-social-assistance',
        decisionType: 'economic-social-assistance',
        unit: 'OPPVEKST',
        provision: 'NAV-loven § 13; sosialtjenesteloven § 3',
      }),
    ]);
    expect(await api.eventCount()).toBe(before);
    expect((await inject('GET', '/rule-sets/oppvekst-assistance', analyst)).statusCode).toBe(404);
  });

  it('barnevernsloven, kl § 25-1, kl § 5-4: a district team of every unit deciding child welfare below a threshold, or a partner deciding, is refused at drafting', async () => {
    const before = await api.eventCount();
    const teamOfAll = document('place-based-team')
      .replace('version: 2', 'version: 9')
      .replace(
        /(decisionType: child-welfare-support-measure\n\s+deciders: )\[\{ kind: district-team, units: \[BFT\] \}\](\n\s+members: \{ ageMax: 17 \}\n\s+fourEyes: true\n)/,
        '$1[{ kind: district-team }]$2    fourEyesAboveOre: 500000\n',
      );
    const refused = await inject('POST', '/rule-sets', yaml(analyst), teamOfAll);
    expect(refused.statusCode).toBe(422);
    const rule = 'district-team-child-welfare-support-measure';
    const provision = 'barnevernsloven (vedtak treffes av barneverntjenesten)';
    expect(refused.json().errors.map((e: Record<string, unknown>) => [e.ruleId, e.decisionType, e.unit, e.provision])).toEqual([
      [rule, 'child-welfare-support-measure', 'HVK', provision],
      [rule, 'child-welfare-support-measure', 'NAV', provision],
      [rule, 'child-welfare-support-measure', 'INN', provision],
      [rule, 'child-welfare-support-measure', 'OPPVEKST', provision],
      [rule, 'child-welfare-support-measure', null, expect.stringContaining('kommuneloven § 25-1')],
    ]);
    const partner = document('trondheim-2023')
      .replace('id: trondheim-2023', 'id: partner-housing')
      .replace(
        /(id: hvk-municipal-housing\n\s+decisionType: municipal-housing\n\s+units: \[HVK\]\n)/,
        '$1    deciders: [{ kind: partner, organisationNumber: "974123456" }]\n',
      );
    const byPartner = await inject('POST', '/rule-sets', yaml(analyst), partner);
    expect(byPartner.statusCode).toBe(422);
    expect(byPartner.json().errors).toEqual([
      expect.objectContaining({ ruleId: 'hvk-municipal-housing', unit: 'partner', provision: expect.stringContaining('kommuneloven § 5-4') }),
    ]);
    expect(await api.eventCount()).toBe(before);
  });

  it('kl § 13-1: only a rules analyst drafts and only the delegation authority activates, on a delegation decision; unit leaders no longer may', async () => {
    expect((await inject('POST', '/rule-sets', yaml(hvkCaseworker), document('place-based-team'))).statusCode).toBe(403);
    // The shipped document is loaded at start-up; a changed one under a new version is drafted.
    const v3 = document('place-based-team').replace('version: 2', 'version: 3').replace('fourEyesAboveOre: 500000', 'fourEyesAboveOre: 400000');
    const drafted = await inject('POST', '/rule-sets', yaml(analyst), v3);
    expect(drafted.statusCode).toBe(201);
    expect(drafted.json()).toMatchObject({ ruleSetId: 'place-based-team', version: 3, streamId: 'ruleset-place-based-team', replayed: false });
    const before = await api.eventCount();
    const body = { version: 3, effectiveFrom: addDays(today, 30), delegationDecision: decision(today) };
    for (const headers of [analyst, leader]) {
      const refused = await activate('place-based-team', headers, body);
      // The route policy refuses before the domain would (ACTION_NOT_PERMITTED there).
      expect([refused.statusCode, refused.json().code]).toEqual([403, 'FORBIDDEN']);
    }
    expect(await api.eventCount()).toBe(before);
    const got = (await inject('GET', '/rule-sets/place-based-team', authority)).json();
    expect(got.versions).toEqual([
      expect.objectContaining({
        version: 2,
        status: 'draft',
        format: 'yaml',
        effectiveFrom: null,
        delegationDecision: null,
        legalLimitBreaches: [],
        draftedBy: 'familievedtak-bootstrap',
      }),
      expect.objectContaining({
        version: 3,
        status: 'draft',
        format: 'yaml',
        effectiveFrom: null,
        delegationDecision: null,
        legalLimitBreaches: [],
        draftedBy: 'rules-ragnhild',
      }),
    ]);
  });

  it('the token CLI signs a delegation-authority token (npm run token -- --role delegation-authority)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fv-dev-auth-'));
    try {
      const token = tokenFromArgs(['--role', 'delegation-authority', '--user', 'kd-kristin'], {}, dir);
      expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())).toMatchObject({ sub: 'kd-kristin', roles: ['delegation-authority'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('kl § 13-1: an activation without a delegation decision, backdated, or before its decision is refused (422), appending nothing', async () => {
    const before = await api.eventCount();
    const without = await activate('place-based-team', authority, { version: 2, effectiveFrom: addDays(today, 30) });
    expect([without.statusCode, without.json().code]).toEqual([422, 'DELEGATION_DECISION_REQUIRED']);
    const incomplete = await activate('place-based-team', authority, {
      version: 2,
      effectiveFrom: addDays(today, 30),
      delegationDecision: { body: 'kommunestyret', decidedOn: today },
    });
    expect([incomplete.statusCode, incomplete.json().detail]).toEqual([422, expect.stringContaining('Missing: caseNumber')]);
    const backdated = await activate('place-based-team', authority, {
      version: 2,
      effectiveFrom: addDays(today, -1),
      delegationDecision: decision(addDays(today, -10)),
    });
    expect([backdated.statusCode, backdated.json().code]).toEqual([422, 'RULE_SET_BACKDATED']);
    const beforeDecision = await activate('place-based-team', authority, {
      version: 2,
      effectiveFrom: addDays(today, -3),
      delegationDecision: decision(today),
    });
    expect([beforeDecision.statusCode, beforeDecision.json().code]).toEqual([422, 'ACTIVATION_BEFORE_DELEGATION_DECISION']);
    const notYetDecided = await activate('place-based-team', authority, {
      version: 2,
      effectiveFrom: addDays(today, 30),
      delegationDecision: decision(addDays(today, 1)),
    });
    expect([notYetDecided.statusCode, notYetDecided.json().code]).toEqual([422, 'INVALID_DATE']);
    expect(await api.eventCount()).toBe(before);
  });

  it('kl § 13-1: the set in force on the day the decision is made decides, whatever the period’s start', async () => {
    const { familyId, childId } = await registerCoordinatedFamily();
    // Shipped and loaded at start-up: drafting the same document again is that version (200, nothing appended).
    const again = await inject('POST', '/rule-sets', { ...analyst, 'content-type': 'application/json' }, { document: document('family-decision') });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ ruleSetId: 'family-decision', version: 2, replayed: true, events: [] });

    const fee = (periodFrom: LocalDate) => ({
      unit: 'NAV',
      decisionType: 'kindergarten-fee-reduction',
      memberIds: [childId],
      periodFrom,
      periodUntil: addDays(periodFrom, 180),
    });
    // Under the 2023 rules OPPVEKST decides fee reductions: NAV may not, even for a period that starts next year.
    const before = await api.eventCount();
    const refused = await propose(familyId, navCaseworker, fee(addDays(today, 400)), childId);
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'NOT_COMPETENT']);
    expect(refused.json().detail).toContain('trondheim-2023');
    expect(await api.eventCount()).toBe(before);

    // In force from today on the chief executive's decision of today: the family's coordinating unit (NAV) decides.
    const activated = await activate('family-decision', authority, { effectiveFrom: today, delegationDecision: decision(today) });
    expect(activated.statusCode).toBe(200);
    const decisionId = randomUUID();
    // Decided today for a period that began a month ago, under the 2023 rules: today's set decides.
    expect((await propose(familyId, navCaseworker, { ...fee(addDays(today, -30)), decisionId }, childId)).statusCode).toBe(201);
    const state = (await inject('GET', `/families/${familyId}/stream-state`, navCaseworker)).json().state;
    expect(state.decisions[decisionId].delegation).toEqual({
      ruleSetId: 'family-decision',
      ruleSetVersion: 2,
      ruleId: 'coordinating-unit-kindergarten-fee-reduction',
    });

    // BFT still decides child welfare in a family decision: NAV, the coordinating unit, may not.
    const childWelfare = await propose(
      familyId,
      navCaseworker,
      { unit: 'NAV', decisionType: 'child-welfare-support-measure', memberIds: [childId], periodFrom: today, periodUntil: addDays(today, 90) },
      childId,
    );
    expect([childWelfare.statusCode, childWelfare.json().code]).toEqual([403, 'NOT_COMPETENT']);

    // The place-based team from tomorrow: a decision made today stays under today's set, even for a period after tomorrow.
    expect(
      (await activate('place-based-team', authority, { version: 2, effectiveFrom: addDays(today, 1), delegationDecision: decision(today) })).statusCode,
    ).toBe(200);
    // HVK staff may decide a fee reduction for the district team, but only once the team's set is in force.
    const byHvk = { ...fee(addDays(today, 10)), unit: 'HVK' };
    const notYet = await propose(familyId, hvkCaseworker, byHvk, childId);
    expect(notYet.statusCode).toBe(403);
    expect(notYet.json().detail).toContain('family-decision');

    // Retired by the delegation authority (a unit leader may not): it never comes into force.
    expect((await inject('POST', '/rule-sets/place-based-team/retire', leader, { reason: 'Not adopted by the council.' })).statusCode).toBe(403);
    expect((await inject('POST', '/rule-sets/place-based-team/retire', authority, { reason: 'Not adopted by the council.' })).statusCode).toBe(200);

    const listing = (await inject('GET', '/rule-sets', authority)).json();
    expect(listing.activations).toEqual([
      { ruleSetId: 'trondheim-2023', version: 1, effectiveFrom: '2023-01-01' },
      { ruleSetId: 'family-decision', version: 2, effectiveFrom: today },
    ]);
    const familyDecision = listing.ruleSets.find((r: { ruleSetId: string }) => r.ruleSetId === 'family-decision');
    expect(familyDecision.versions).toEqual([
      expect.objectContaining({ version: 2, status: 'active', effectiveFrom: today, delegationDecision: decision(today), withinLegalLimits: true }),
    ]);
    // The bootstrap activation of the 2023 rules names no decision of ours (see README).
    const baseline = listing.ruleSets.find((r: { ruleSetId: string }) => r.ruleSetId === 'trondheim-2023');
    expect(baseline.versions).toEqual([expect.objectContaining({ version: 1, status: 'active', effectiveFrom: '2023-01-01', delegationDecision: null })]);
  });

  it('a second version of a set takes over from its own effective date', async () => {
    const changed = document('family-decision').replace(/ {2}- id: coordinating-unit-kindergarten-fee-reduction[\s\S]*?(?= {2}- id: )/, '');
    // Other rules under the version stored already: refused, nothing appended.
    const before = await api.eventCount();
    const conflict = await inject('POST', '/rule-sets', yaml(analyst), changed);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({ code: 'RULE_SET_VERSION_CONFLICT', detail: expect.stringContaining('version 2 is stored with other rules') });
    expect(await api.eventCount()).toBe(before);
    const v3 = changed.replace('version: 2', 'version: 3');
    const drafted = await inject('POST', '/rule-sets', yaml(analyst), v3);
    expect(drafted.statusCode).toBe(201);
    expect(drafted.json()).toMatchObject({ version: 3 });
    const stored = (await inject('GET', '/rule-sets/family-decision', analyst)).json().versions[1];
    expect(stored).toMatchObject({ version: 3, document: v3, ruleSet: { version: 3 } });
    // The same again: the version it names, nothing new.
    const replayed = await inject('POST', '/rule-sets', yaml(analyst), v3);
    expect([replayed.statusCode, replayed.json().version, replayed.json().replayed]).toEqual([200, 3, true]);
    // Left without a version of its own, a changed document becomes the next version.
    const unnumbered = v3.replace('version: 3\n', '').replace(/name: "([^"]*)"/, 'name: "$1 (unnumbered)"');
    expect((await inject('POST', '/rule-sets', yaml(analyst), unnumbered)).json()).toMatchObject({ version: 4, replayed: false });
    const { familyId, childId } = await registerCoordinatedFamily();
    const body = { unit: 'NAV', decisionType: 'kindergarten-fee-reduction', memberIds: [childId], periodFrom: today, periodUntil: addDays(today, 180) };
    expect((await propose(familyId, navCaseworker, body, childId)).statusCode).toBe(201);
    // Version 3 in force from today too: activated later, it takes over at once.
    expect((await activate('family-decision', authority, { version: 3, effectiveFrom: today, delegationDecision: decision(today) })).statusCode).toBe(200);
    const refused = await propose(familyId, navCaseworker, body, childId);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toContain('family-decision');
  });

  it('explains a decision with the law of its type: the matching rule, why every other rule did not match, the provisions', async () => {
    const response = await inject('POST', '/rule-sets/family-decision/explain?version=2', analyst, {
      decisionType: 'kindergarten-fee-reduction',
      unit: 'NAV',
      date: '2030-03-01',
      members: [{ memberId: 'c', age: 4 }],
      family: { district: 'Lerkendal', coordinatingUnit: 'NAV' },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      ruleSetId: 'family-decision',
      version: 2,
      permitted: true,
      ruleId: 'coordinating-unit-kindergarten-fee-reduction',
      decider: 'NAV',
      unitCompetentByLaw: true,
      legalLimitBreaches: [],
    });
    expect(body.explanation).toHaveLength(20);
    expect(body.explanation.find((e: { ruleId: string }) => e.ruleId === 'oppvekst-kindergarten-fee')).toEqual({
      ruleId: 'oppvekst-kindergarten-fee',
      outcome: 'not-matched',
      reasons: ["only OPPVEKST may decide 'Kindergarten fee reduction', not NAV"],
    });
    expect(body.law).toMatchObject({
      decisionType: 'kindergarten-fee-reduction',
      legalBasis: 'Forskrift om foreldrebetaling i barnehager § 3',
      enkeltvedtak: true,
      enkeltvedtakProvision: 'forvaltningsloven § 2 første ledd bokstav a og b',
      appeal: { body: 'kommunal-klagenemnd', weeks: 3, countsFrom: 'notification-received', provision: 'forvaltningsloven § 28 andre ledd, § 29' },
      competentUnits: ['HVK', 'BFT', 'NAV', 'INN', 'OPPVEKST'],
      competenceProvision: expect.stringContaining('kommuneloven § 13-1'),
      fourEyesFloor: 'policy',
      privateDelegation: { allowed: false, provision: expect.stringContaining('kommuneloven § 5-4') },
    });
    // NAV-loven § 13: whatever a set says, HVK is never competent for social assistance.
    const social = (
      await inject('POST', '/rule-sets/family-decision/explain', analyst, {
        decisionType: 'economic-social-assistance',
        unit: 'HVK',
        date: '2030-03-01',
        members: [{ age: 40 }],
      })
    ).json();
    expect(social).toMatchObject({
      permitted: false,
      unitCompetentByLaw: false,
      law: {
        competentUnits: ['NAV'],
        competenceProvision: 'NAV-loven § 13; sosialtjenesteloven § 3',
        fourEyesFloor: 'always',
        appeal: { body: 'statsforvalteren' },
      },
    });
    const invalid = await inject('POST', '/rule-sets/family-decision/explain', analyst, {
      decisionType: 'haircut',
      unit: 'NAV',
      date: '2030-03-01',
      members: [],
    });
    expect(invalid.statusCode).toBe(422);
    expect((await inject('POST', '/rule-sets/nope/explain', analyst, {})).statusCode).toBe(404);
  });
});
