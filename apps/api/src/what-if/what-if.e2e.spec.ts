import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRONDHEIM_2023_RULE_SET } from '@familievedtak/domain';
import { RULE_SET_DOCUMENTS_DIR } from '@familievedtak/rules';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { Headers, TestApp, createTestApp, headersFor } from '../../../../test/support/test-app';
import { appendPrivacyHistory, FAMILY_DECISION_TEST_SET, IDENTIFYING_STRINGS, PRIVACY_FAMILIES } from '../../../../libs/what-if/src/testing/what-if-history';

const analyst: Headers = headersFor({ userId: 'rules-team', role: 'rules-analyst' });
const withPurpose = (purpose: string, headers: Headers = analyst): Headers => ({ ...headers, 'x-purpose': purpose });

/** Districts the report may not name: Heimdal (a kode 6 member), Østbyen (a kode 7 member), Lerkendal (one family). */
const WITHHELD_DISTRICTS = ['Heimdal', 'Østbyen', 'Lerkendal'];
const FORBIDDEN = [...IDENTIFYING_STRINGS, ...WITHHELD_DISTRICTS];
const PSEUDONYM = /p-[0-9a-f]{16}/g;
const body = { candidate: FAMILY_DECISION_TEST_SET, baseline: 'trondheim-2023' };

/** Each forbidden string with how often it occurs: all zero. */
const occurrences = (text: string) => FORBIDDEN.map((s) => [s, text.split(s).length - 1]);
const none = FORBIDDEN.map((s) => [s, 0]);

describe('API: what-if runs (PostgreSQL)', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ poolSize: 5 });
    await appendPrivacyHistory(api.app.get<EventStore>(EVENT_STORE));
  });
  afterAll(() => api.close());

  const auditRows = async (purpose: string) =>
    (
      await api.db.pool.query(
        `SELECT user_id, unit, role, family_id, member_ids, categories, purpose, consent_ids, outcome, status, route, rule_sets, family_count, selection
           FROM audit.read_access WHERE purpose = $1 ORDER BY id`,
        [purpose],
      )
    ).rows;

  it('GDPR art. 5(1)(c) data minimisation: what-if for rules analysts is aggregate (JSON and HTML)', async () => {
    // The history: 16 families with distinctive names, member ids and need words; Heimdal has 5
    // families, one with a kode 6 member; Østbyen 5, one with kode 7; Lerkendal 1; Midtbyen 5.
    expect(PRIVACY_FAMILIES.some((f) => f.addressProtection === 'strengt-fortrolig' && f.district === 'Heimdal')).toBe(true);
    // Even with the protected-address clearance: the report is the same aggregate for every reader.
    const cleared = headersFor({ userId: 'rules-team', role: 'rules-analyst', clearances: ['protected-address'] });
    for (const headers of [analyst, cleared]) {
      const json = await api.inject('POST', '/what-if/runs', headers, body);
      expect(json.statusCode).toBe(200);
      expect(occurrences(json.body)).toEqual(none);
      const report = json.json();
      expect(report.scope.familiesSelected).toBe(16);
      expect(report.disclosure).toEqual({
        output: 'aggregate',
        familyRows: 'keyed-pseudonym-per-run',
        minFamiliesPerDistrict: 5,
        withheldDistricts: 'fewer-families-or-protected-address',
      });
      expect(report.districts.shown.map((d: { district: string; families: number }) => [d.district, d.families])).toEqual([['Midtbyen', 5]]);
      expect(report.districts.withheld).toEqual({ families: 11 });
      expect(report.families).toHaveLength(16);
      for (const row of report.families) {
        expect(Object.keys(row).sort()).toEqual(['baseline', 'candidate', 'coordinatingUnit', 'family', 'members', 'moved', 'needs']);
        expect(row.family).toMatch(/^p-[0-9a-f]{16}$/);
      }
      // The family facing four units is still there, by what it faces, not by who it is.
      expect(report.families.filter((f: { baseline: { deciders: string[] } }) => f.baseline.deciders.length === 4)).toHaveLength(1);

      const html = await api.inject('POST', '/what-if/runs/html', headers, body);
      expect(html.statusCode).toBe(200);
      expect(html.headers['content-type']).toMatch(/^text\/html/);
      expect(html.body).toContain('<svg id="chart-deciders"');
      expect(occurrences(html.body)).toEqual(none);
      expect(html.body).toContain('Midtbyen');
      expect(html.body.match(PSEUDONYM)?.length).toBeGreaterThanOrEqual(16);
    }
  });

  it('GDPR art. 4(5) pseudonymisation: per-family rows carry pseudonyms that differ between runs; figures and hash do not', async () => {
    const [first, second] = [
      (await api.inject('POST', '/what-if/runs', analyst, body)).json(),
      (await api.inject('POST', '/what-if/runs', analyst, body)).json(),
    ];
    const firstPseudonyms = new Set(first.families.map((f: { family: string }) => f.family));
    expect(firstPseudonyms.size).toBe(16);
    expect(second.families.filter((f: { family: string }) => firstPseudonyms.has(f.family))).toEqual([]);
    // The hash is over the pseudonym-free content: the same events and rule sets give the same hash.
    expect(second.hash).toBe(first.hash);
    expect({ ...second, families: [] }).toEqual({ ...first, families: [] });
    const third = await api.inject('POST', '/what-if/runs', analyst, { ...body, baseline: TRONDHEIM_2023_RULE_SET });
    expect(third.json().hash).toBe(first.hash);

    const [pageA, pageB] = [
      (await api.inject('POST', '/what-if/runs/html', analyst, body)).body,
      (await api.inject('POST', '/what-if/runs/html', analyst, body)).body,
    ];
    const inA = new Set(pageA.match(PSEUDONYM));
    expect(inA.size).toBe(16);
    expect((pageB.match(PSEUDONYM) ?? []).filter((p) => inA.has(p))).toEqual([]);
  });

  it('GDPR art. 5(2) accountability: every what-if run is on the read audit with purpose, rule sets and family count', async () => {
    expect((await api.inject('POST', '/what-if/runs', withPurpose('regelrevisjon 2026-04'), body)).statusCode).toBe(200);
    expect((await api.inject('POST', '/what-if/runs/html', withPurpose('regelrevisjon 2026-04'), body)).statusCode).toBe(200);
    expect((await api.inject('POST', '/what-if/runs', withPurpose('regelrevisjon 2026-04'), { ...body, selection: { district: 'Midtbyen' } })).statusCode).toBe(
      200,
    );
    const common = {
      user_id: 'rules-team',
      unit: null,
      role: 'rules-analyst',
      family_id: null,
      member_ids: [],
      categories: ['what-if-aggregate'],
      purpose: 'regelrevisjon 2026-04',
      consent_ids: [],
      outcome: 'permit',
      status: 200,
      rule_sets: ['trondheim-2023@v1', 'test-family-decision@v1'],
    };
    expect(await auditRows('regelrevisjon 2026-04')).toEqual([
      { ...common, route: 'POST /what-if/runs', family_count: 16, selection: {} },
      { ...common, route: 'POST /what-if/runs/html', family_count: 16, selection: {} },
      { ...common, route: 'POST /what-if/runs', family_count: 5, selection: { district: 'Midtbyen' } },
    ]);
    // An auditor finds the runs through GET /audit/reads, with the rule sets, family count and selection.
    const reads = await api.inject('GET', '/audit/reads?userId=rules-team&limit=500', headersFor({ userId: 'eva-audit', role: 'auditor' }));
    const runs = reads.json().items.filter((r: { purpose: string }) => r.purpose === 'regelrevisjon 2026-04');
    expect(runs.map((r: { ruleSets: string[]; familyCount: number }) => [r.ruleSets, r.familyCount])).toEqual([
      [common.rule_sets, 5],
      [common.rule_sets, 16],
      [common.rule_sets, 16],
    ]);
    // Without X-Purpose the run is recorded as rules analysis.
    const before = Number(
      (await api.db.pool.query(`SELECT count(*) AS n FROM audit.read_access WHERE purpose = 'rules-analysis' AND route LIKE 'POST /what-if/%'`)).rows[0].n,
    );
    expect((await api.inject('POST', '/what-if/runs', analyst, body)).statusCode).toBe(200);
    expect(await auditRows('rules-analysis')).toHaveLength(before + 1);
  });

  it('refuses other roles with 403, a district it may not show with 422, bad bodies with 400; each refusal on the read audit; writes nothing', async () => {
    const before = await api.eventCount();
    for (const role of ['caseworker', 'auditor', 'unit-leader'] as const) {
      const headers = withPurpose(`refused ${role}`, headersFor({ userId: 'someone', role, ...(role === 'auditor' ? {} : { unit: 'NAV' as const }) }));
      expect((await api.inject('POST', '/what-if/runs', headers, body)).statusCode).toBe(403);
      expect((await api.inject('POST', '/what-if/runs/html', headers, body)).statusCode).toBe(403);
      expect((await auditRows(`refused ${role}`)).map((r) => [r.route, r.outcome, r.status, r.family_id, r.family_count])).toEqual([
        ['POST /what-if/runs', 'deny', 403, null, null],
        ['POST /what-if/runs/html', 'deny', 403, null, null],
      ]);
    }
    for (const district of WITHHELD_DISTRICTS) {
      const refused = await api.inject('POST', '/what-if/runs', withPurpose('withheld'), { ...body, selection: { district } });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().detail).toBe(
        'The selected district cannot be reported on its own: a what-if report shows a district only with at least 5 selected families and none with a protected address. Widen the selection.',
      );
      expect((await api.inject('POST', '/what-if/runs/html', withPurpose('withheld'), { ...body, selection: { district } })).statusCode).toBe(422);
    }
    expect((await auditRows('withheld')).map((r) => [r.outcome, r.status])).toEqual(Array(6).fill(['deny', 422]));
    expect((await api.inject('POST', '/what-if/runs', analyst, {})).statusCode).toBe(400);
    expect((await api.inject('POST', '/what-if/runs', analyst, { candidate: FAMILY_DECISION_TEST_SET, selection: { from: 'soon' } })).statusCode).toBe(400);
    const invalid = await api.inject('POST', '/what-if/runs', analyst, { candidate: { id: 'x' } });
    expect(invalid.statusCode).toBeGreaterThanOrEqual(400);
    expect(invalid.statusCode).toBeLessThan(500);
    expect(invalid.json().code).toBe('INVALID_RULE_SET');
    expect(await api.eventCount()).toBe(before);
  });

  describe('rule sets by stored version or as a document', () => {
    const familyDecisionYaml = readFileSync(join(RULE_SET_DOCUMENTS_DIR, 'family-decision.yaml'), 'utf8');
    const asYaml = { ...analyst, 'content-type': 'application/yaml' };

    it('runs a stored version ({ruleSetId, version}), a document ({document}) and a YAML body: the same rules, the same hash', async () => {
      const byId = await api.inject('POST', '/what-if/runs', analyst, { candidate: { ruleSetId: 'family-decision', version: 2 }, baseline: 'trondheim-2023' });
      expect(byId.statusCode).toBe(200);
      const report = byId.json();
      expect(report.inputs.candidate).toMatchObject({ id: 'family-decision', version: 2 });
      expect(report.inputs.baseline).toMatchObject({ id: 'trondheim-2023', version: 1 });
      expect(report.scope.familiesSelected).toBe(16);
      const latest = await api.inject('POST', '/what-if/runs', analyst, {
        candidate: { ruleSetId: 'family-decision' },
        baseline: { ruleSetId: 'trondheim-2023', version: 1 },
      });
      const byDocument = await api.inject('POST', '/what-if/runs', analyst, { candidate: { document: familyDecisionYaml } });
      const yamlBody = await api.inject('POST', '/what-if/runs', asYaml, familyDecisionYaml);
      const html = await api.inject('POST', '/what-if/runs/html', asYaml, familyDecisionYaml);
      expect([latest, byDocument, yamlBody, html].map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
      expect([latest, byDocument, yamlBody].map((r) => r.json().hash)).toEqual([report.hash, report.hash, report.hash]);
      // The stored baseline is the built-in 2023 set: naming it or leaving it out gives one report.
      expect(byDocument.json().inputs.baseline).toEqual(report.inputs.baseline);
    });

    it('kl § 13-1: the shipped alternatives are loaded and what-if runs with them: lawful, and the family decision still bundles more decisions into one letter', async () => {
      for (const ruleSetId of ['family-decision', 'place-based-team']) {
        const response = await api.inject('POST', '/what-if/runs', analyst, { candidate: { ruleSetId }, baseline: 'trondheim-2023' });
        expect(response.statusCode).toBe(200);
        const report = response.json();
        expect(report.inputs.candidate).toMatchObject({ id: ruleSetId, version: 2 });
        expect(report.legalLimits).toEqual({
          baseline: { lawful: true, rulesOutsideLimits: 0, breaches: [] },
          candidate: { lawful: true, rulesOutsideLimits: 0, breaches: [] },
        });
        expect(report.scope.familiesSelected).toBe(16);
      }
      // The family-decision alternative bundles: one letter, one review date where the units agree.
      const familyDecision = (await api.inject('POST', '/what-if/runs', analyst, { candidate: { ruleSetId: 'family-decision' } })).json();
      expect(familyDecision.candidate.bundledDecisions).toBeGreaterThan(familyDecision.baseline.bundledDecisions);
    });

    it('NAV-loven § 13: a candidate outside the law is analysed but marked, rule by rule, in JSON and HTML; nothing stored', async () => {
      const before = await api.eventCount();
      const unlawful = familyDecisionYaml.replace(
        /(id: nav-social-assistance\n\s+decisionType: economic-social-assistance\n\s+units: )\[NAV\]/,
        '$1[NAV, OPPVEKST]',
      );
      expect(unlawful).not.toBe(familyDecisionYaml);
      const json = await api.inject('POST', '/what-if/runs', analyst, { candidate: { document: unlawful } });
      expect(json.statusCode).toBe(200);
      expect(json.json().legalLimits.candidate).toEqual({
        lawful: false,
        rulesOutsideLimits: 1,
        breaches: [
          expect.objectContaining({
            ruleId: 'nav-social-assistance',
            decisionType: 'economic-social-assistance',
            unit: 'OPPVEKST',
            provision: 'NAV-loven § 13; sosialtjenesteloven § 3',
          }),
        ],
      });
      const html = await api.inject('POST', '/what-if/runs/html?lang=en', asYaml, unlawful);
      expect(html.statusCode).toBe(200);
      expect(html.body).toContain('<h2>The candidate is outside the law: 1 rule</h2>');
      expect(html.body).toContain('NAV-loven § 13; sosialtjenesteloven § 3');
      // Bokmål unless asked otherwise; an unknown language is refused before any run.
      expect((await api.inject('POST', '/what-if/runs/html', asYaml, unlawful)).body).toContain('<h2>Forslaget er i strid med loven: 1 regel</h2>');
      expect((await api.inject('POST', '/what-if/runs/html?lang=xx', asYaml, unlawful)).statusCode).toBe(400);
      expect(await api.eventCount()).toBe(before);
    });

    it('an unknown rule set or version: 404; a bad reference: 400; an invalid document: 422 with line-level errors; nothing stored', async () => {
      const before = await api.eventCount();
      const unknownId = await api.inject('POST', '/what-if/runs', analyst, { candidate: { ruleSetId: 'no-such-set', version: 1 } });
      expect([unknownId.statusCode, unknownId.json().code]).toEqual([404, 'RULE_SET_NOT_FOUND']);
      const unknownVersion = await api.inject('POST', '/what-if/runs', analyst, { candidate: { ruleSetId: 'family-decision', version: 7 } });
      expect([unknownVersion.statusCode, unknownVersion.json().detail]).toEqual([404, 'Rule set family-decision has no version 7.']);
      const unknownBaseline = await api.inject('POST', '/what-if/runs', analyst, { ...body, baseline: 'no-such-set' });
      expect(unknownBaseline.statusCode).toBe(404);
      const badVersion = await api.inject('POST', '/what-if/runs', analyst, { candidate: { ruleSetId: 'family-decision', version: 'one' } });
      expect([badVersion.statusCode, badVersion.json().detail]).toEqual([
        400,
        'The what-if request is not valid: candidate.version must be a whole number from 1.',
      ]);
      const broken = familyDecisionYaml.replace('units: [NAV]', 'units: [NAV, KOMMUNE]');
      for (const response of [
        await api.inject('POST', '/what-if/runs', analyst, { candidate: { document: broken } }),
        await api.inject('POST', '/what-if/runs', asYaml, broken),
        await api.inject('POST', '/what-if/runs/html', asYaml, broken),
      ]) {
        expect(response.statusCode).toBe(422);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json()).toMatchObject({
          code: 'INVALID_RULE_SET_DOCUMENT',
          errors: [expect.stringMatching(/^line \d+, column \d+: rules\[\d+\]\.units\[1\]: must be one of /)],
        });
      }
      const unreadable = await api.inject('POST', '/what-if/runs', analyst, { candidate: { document: 'id: x\nname: [unclosed\n' } });
      expect(unreadable.statusCode).toBe(422);
      expect(unreadable.json().errors[0]).toMatch(/^line \d+, column \d+: \(document\): /);
      expect(await api.eventCount()).toBe(before);
    });

    it('a baseline or candidate named "__proto__", "constructor" or "toString" is a 4xx, never a 500', async () => {
      const before = await api.eventCount();
      for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
        for (const request of [
          { ...body, baseline: name },
          { candidate: name },
          { candidate: { ruleSetId: name } },
          { candidate: FAMILY_DECISION_TEST_SET, baseline: { ruleSetId: name, version: 1 } },
        ]) {
          const response = await api.inject('POST', '/what-if/runs', analyst, request);
          expect([name, response.statusCode]).toEqual([name, name === 'constructor' ? 404 : 400]);
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        }
      }
      expect(await api.eventCount()).toBe(before);
    });
  });
});
