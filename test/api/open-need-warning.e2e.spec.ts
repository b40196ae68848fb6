import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { addDays, localDateOf, type LocalDate } from '@familievedtak/domain';
import type { Clock } from '@familievedtak/event-store';
import { ProjectionDaemon } from '@familievedtak/projections';
import { CLOCK } from '../../apps/api/src/shared/clock.provider';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';

const analyst: Headers = headersFor({ userId: 'rules-ragnhild', role: 'rules-analyst' });
const authority: Headers = headersFor({ userId: 'kd-kristin', role: 'delegation-authority' });
const nav: Headers = headersFor({ userId: 'nav-nina', role: 'caseworker', unit: 'NAV' });
const yaml = (headers: Headers) => ({ ...headers, 'content-type': 'text/yaml' });

/**
 * The need-open-too-long warning follows the rule set in force on the view's day
 * (openNeedWarningDays), through the API and its view cache: activating a set with another
 * limit changes the warning without any event on the family, and the cached view of the old
 * limit is not served for the new one.
 */
describe('API: the open-need limit comes from the rule set in force (PostgreSQL)', () => {
  let api: TestApp;
  let today: LocalDate;
  const familyId = randomUUID();
  const adultId = randomUUID();
  const needId = randomUUID();

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true });
    today = localDateOf(api.app.get<Clock>(CLOCK).now());
    const send = async (url: string, body: unknown) => {
      const response = await api.inject('POST', url, nav, body);
      if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    };
    await send('/families', { familyId, district: 'Heimdal', members: [{ memberId: adultId, name: 'Amina Berg', birthDate: '1988-03-02', role: 'adult' }] });
    await send(`/families/${familyId}/needs`, { needId, memberId: adultId, words: 'Jeg trenger hjelp til å finne jobb', expressedOn: today });
    await send(`/families/${familyId}/needs/${needId}/pick-up`, {});
  });
  afterAll(() => api.close());

  const warningsOn = async (day: LocalDate) => {
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
    const response = await api.inject('GET', `/families/${familyId}?today=${day}`, nav);
    expect(response.statusCode).toBe(200);
    return (response.json().warnings as Array<{ kind: string; memberName?: string; limitDays?: number }>).filter((w) => w.kind === 'need-open-too-long');
  };

  it('180 days under the shipped sets; 365 once a set saying so is in force, for the same family revision', async () => {
    const day = addDays(today, 200);
    const before = await warningsOn(day);
    expect(before).toEqual([expect.objectContaining({ limitDays: 180, memberName: 'Amina Berg' })]);
    // Served again from the cache: same answer.
    expect(await warningsOn(day)).toEqual(before);

    // A new version of the family-decision set with a year's limit, in force from today.
    const shipped = readFileSync(join(__dirname, '../../libs/rules/rule-sets/family-decision.yaml'), 'utf8');
    const version = Number(/^version: (\d+)$/m.exec(shipped)![1]) + 1;
    const document = shipped.replace(/^version: \d+$/m, `version: ${version}`).replace(/^openNeedWarningDays: \d+$/m, 'openNeedWarningDays: 365');
    expect(document).toContain('openNeedWarningDays: 365');
    const drafted = await api.inject('POST', '/rule-sets', yaml(analyst), document);
    expect(drafted.statusCode).toBe(201);
    const activated = await api.inject('POST', '/rule-sets/family-decision/activate', authority, {
      version,
      effectiveFrom: today,
      delegationDecision: { body: 'kommunedirektøren', decidedOn: today, caseNumber: '2026/4712' },
    });
    expect(activated.statusCode).toBe(200);

    // No family event since: the revision is the same, the warning is not.
    expect(await warningsOn(day)).toEqual([]);
    expect(await warningsOn(addDays(today, 366))).toEqual([expect.objectContaining({ limitDays: 365 })]);
  });
});
