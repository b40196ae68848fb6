import fc from 'fast-check';
import { BODY_LIMITS, BodyRefused, checkBody, prescanJson } from './request-body';

/** Small limits, so that random bodies land on both sides of each. */
const SMALL = { depth: 4, propertiesPerObject: 4, properties: 8, arrayItems: 4, values: 12, stringChars: 10, keyChars: 5 } as const;

const refusal = (work: () => void) => {
  try {
    work();
    return undefined;
  } catch (error) {
    if (error instanceof BodyRefused) return error;
    throw error;
  }
};

describe('body limits', () => {
  it('the pre-scan of the text never refuses a body the exact walk accepts (it counts lower bounds)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        if (refusal(() => checkBody(value, SMALL))) return;
        expect(prescanJson(JSON.stringify(value), SMALL)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what is over each limit, with 413 (sizes) or 400 (depth, text)', () => {
    const cases: Array<[unknown, number, RegExp]> = [
      [{ a: 1, b: 2, c: 3, d: 4, e: 5 }, 413, /more than 4 properties/],
      [[[1, 2], [3, 4], [5, 6], [7, 8], [9]], 413, /more than 4 items/],
      [{ a: [1, 2, 3, 4], b: [1, 2, 3, 4], c: [1, 2] }, 413, /more than 12 values/],
      [{ a: 'x'.repeat(11) }, 413, /more than 10 characters/],
      [{ abcdef: 1 }, 413, /property name/],
      [[[[[[1]]]]], 400, /deeper than 4/],
      [{ a: 'x\ud800' }, 400, /lone UTF-16 surrogate/],
      [{ ['\udc00']: 1 }, 400, /lone UTF-16 surrogate/],
      [{ a: 'x\u0000' }, 400, /NUL/],
    ];
    for (const [value, status, detail] of cases) {
      const refused = refusal(() => checkBody(value, SMALL));
      expect({ value, status: refused?.statusCode, detail: refused?.message }).toEqual({ value, status, detail: expect.stringMatching(detail) });
    }
    expect(refusal(() => checkBody({ a: 'ok \ud83d\ude00', b: [1, { c: null }] }, SMALL))).toBeUndefined();
  });

  it('pre-scans properties and separators outside strings only', () => {
    const text = JSON.stringify({ a: ':::,,,:::'.repeat(1000) });
    expect(prescanJson(text, { ...BODY_LIMITS, properties: 1, values: 0 })).toBeUndefined();
    expect(prescanJson('{"a":1,"b":2}', { ...BODY_LIMITS, properties: 1 })?.message).toMatch(/properties/);
    expect(prescanJson('[1,2,3]', { ...BODY_LIMITS, values: 1 })?.message).toMatch(/values/);
    expect(prescanJson('['.repeat(65) + ']'.repeat(65))?.statusCode).toBe(400);
  });
});
