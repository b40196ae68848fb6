import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { FamilyCommandsService } from '../../apps/api/src/families/family-commands.service';
import { createTestApp, headersFor, Headers, TestApp } from '../support/test-app';
import { familyStream, registerFamily, streamCount } from '../support/parts';

/**
 * Idempotency-Key (issue 12): a key is the client's promise that two requests are the same
 * request. Scoped per user; a reuse for another request (body, route) is 422 and does nothing;
 * a duplicate while the first is still running is 409; a true retry gets the first answer.
 */
const kari: Headers = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
const ola: Headers = headersFor({ userId: 'nav-ola', role: 'caseworker', unit: 'NAV' });
const withKey = (headers: Headers, key: string): Headers => ({ ...headers, 'idempotency-key': key });

function expectProblem(response: LightMyRequestResponse, status: number, code: string) {
  expect({ status: response.statusCode, contentType: response.headers['content-type'] }).toEqual({
    status,
    contentType: expect.stringContaining('application/problem+json'),
  });
  expect(response.json()).toMatchObject({ type: `urn:familievedtak:problem:${code}`, title: expect.any(String), status, detail: expect.any(String), code });
}

describe('API: Idempotency-Key (PostgreSQL)', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ poolSize: 5 });
  });
  afterAll(() => api.close());

  async function family() {
    const { familyId, ids } = await registerFamily(api, kari, [{ name: 'Amina', birthDate: '1988-03-02', role: 'adult' }]);
    return { familyId, memberId: ids.Amina, stream: familyStream(familyId) };
  }

  it('answers a true retry (same user, key, route and body) with the first answer, appending nothing', async () => {
    const { familyId, memberId, stream } = await family();
    const key = randomUUID();
    const first = await api.inject('POST', `/families/${familyId}/needs`, withKey(kari, key), { memberId, words: 'Bolig' });
    expect(first.statusCode).toBe(201);
    expect(first.json().replayed).toBe(false);
    const count = await streamCount(api, stream);
    // The same body with its keys in another order is the same request.
    const retry = await api.inject('POST', `/families/${familyId}/needs`, withKey(kari, key), { words: 'Bolig', memberId });
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toMatchObject({ replayed: true, revision: first.json().revision });
    expect(retry.json().events.map((e: { id: string }) => e.id)).toEqual(first.json().events.map((e: { id: string }) => e.id));
    expect(await streamCount(api, stream)).toBe(count);
  });

  it('refuses the same key with another body with 422 IDEMPOTENCY_KEY_REUSED, and stores nothing', async () => {
    const { familyId, memberId, stream } = await family();
    const key = randomUUID();
    expect((await api.inject('POST', `/families/${familyId}/needs`, withKey(kari, key), { memberId, words: 'Bolig' })).statusCode).toBe(201);
    const count = await streamCount(api, stream);
    const total = await api.eventCount();
    expectProblem(await api.inject('POST', `/families/${familyId}/needs`, withKey(kari, key), { memberId, words: 'Jobb' }), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await streamCount(api, stream)).toBe(count);
    expect(await api.eventCount()).toBe(total);
    // The first request is still answered as before.
    expect((await api.inject('POST', `/families/${familyId}/needs`, withKey(kari, key), { memberId, words: 'Bolig' })).json().replayed).toBe(true);
  });

  it('refuses the same key on another route with 422, on the same family and on another stream', async () => {
    const { familyId, memberId, stream } = await family();
    const other = await family();
    const key = randomUUID();
    expect((await api.inject('POST', `/families/${familyId}/needs`, withKey(kari, key), { memberId, words: 'Bolig' })).statusCode).toBe(201);
    const total = await api.eventCount();
    const count = await streamCount(api, stream);
    const otherCount = await streamCount(api, other.stream);
    // Same stream, another command (a member joins): the log holds the key with another fingerprint.
    expectProblem(
      await api.inject('POST', `/families/${familyId}/members`, withKey(kari, key), {
        memberId: randomUUID(),
        name: 'Yusuf',
        birthDate: '2016-09-14',
        role: 'child',
      }),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
    // The same body on another family's route: another stream, remembered by the instance that answered the first.
    expectProblem(
      await api.inject('POST', `/families/${other.familyId}/needs`, withKey(kari, key), { memberId: other.memberId, words: 'Bolig' }),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect(await streamCount(api, stream)).toBe(count);
    expect(await streamCount(api, other.stream)).toBe(otherCount);
    expect(await api.eventCount()).toBe(total);
  });

  it("treats another user's same key as a different key: their command is executed", async () => {
    const { familyId, memberId, stream } = await family();
    const key = randomUUID();
    const first = await api.inject('POST', `/families/${familyId}/needs`, withKey(kari, key), { memberId, words: 'Bolig' });
    expect(first.statusCode).toBe(201);
    const count = await streamCount(api, stream);
    const theirs = await api.inject('POST', `/families/${familyId}/needs`, withKey(ola, key), { memberId, words: 'Bolig' });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json().replayed).toBe(false);
    expect(theirs.json().events[0].id).not.toBe(first.json().events[0].id);
    expect(await streamCount(api, stream)).toBe(count + 1);
    // And their retry replays their own answer.
    const retry = await api.inject('POST', `/families/${familyId}/needs`, withKey(ola, key), { memberId, words: 'Bolig' });
    expect(retry.json()).toMatchObject({ replayed: true, events: [{ id: theirs.json().events[0].id }] });
  });

  it('answers a duplicate sent while the first is still in flight with 409 IDEMPOTENCY_KEY_IN_FLIGHT; the first completes', async () => {
    const { familyId, memberId, stream } = await family();
    const key = randomUUID();
    const service = api.app.get(FamilyCommandsService);
    const execute = service.execute.bind(service);
    // The first request is held inside the command service until the duplicate has its answer.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inService = new Promise<void>((resolve) => (entered = resolve));
    const spy = jest.spyOn(service, 'execute').mockImplementationOnce(async (...args) => {
      entered();
      await gate;
      return execute(...args);
    });
    try {
      const first = api.inject('POST', `/families/${familyId}/needs`, withKey(kari, key), { memberId, words: 'Bolig' });
      await inService;
      const count = await streamCount(api, stream);
      const duplicate = await api.inject('POST', `/families/${familyId}/needs`, withKey(kari, key), { memberId, words: 'Bolig' });
      expectProblem(duplicate, 409, 'IDEMPOTENCY_KEY_IN_FLIGHT');
      // Another user's same key is not the same request: not held up by the first.
      expect((await api.inject('POST', `/families/${familyId}/needs`, withKey(ola, key), { memberId, words: 'Bolig' })).statusCode).toBe(201);
      expect(await streamCount(api, stream)).toBe(count + 1);
      release();
      const answer = await first;
      expect(answer.statusCode).toBe(201);
      expect(answer.json().replayed).toBe(false);
      // Once answered, the key is free for a retry, which replays.
      const retry = await api.inject('POST', `/families/${familyId}/needs`, withKey(kari, key), { memberId, words: 'Bolig' });
      expect(retry.json()).toMatchObject({ replayed: true, events: [{ id: answer.json().events[0].id }] });
      expect(await streamCount(api, stream)).toBe(count + 2);
    } finally {
      release();
      spy.mockRestore();
    }
  });

  it('frees the key of a request that was refused, so a corrected request with the same key runs', async () => {
    const { familyId, memberId, stream } = await family();
    const key = randomUUID();
    expect((await api.inject('POST', `/families/${familyId}/needs`, withKey(kari, key), { memberId: randomUUID(), words: 'Bolig' })).statusCode).toBe(404);
    const count = await streamCount(api, stream);
    const corrected = await api.inject('POST', `/families/${familyId}/needs`, withKey(kari, key), { memberId, words: 'Bolig' });
    expect(corrected.statusCode).toBe(201);
    expect(corrected.json().replayed).toBe(false);
    expect(await streamCount(api, stream)).toBe(count + 1);
  });
});
