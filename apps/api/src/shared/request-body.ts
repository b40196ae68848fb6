import { parse as parseQueryString } from 'node:querystring';
import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './problem-details.filter';

/**
 * What one request body may cost before validation sees it. Validation does work per property
 * (a body of 22,000 unknown keys took ~260 ms of blocking CPU, and 20 at once froze /health),
 * so the parser counts and refuses before any DTO is built. The largest real bodies (a
 * rule-set document as JSON: ~250 properties, 8 per object, 70 array items) stay far inside.
 */
export interface BodyLimits {
  depth: number;
  propertiesPerObject: number;
  properties: number;
  arrayItems: number;
  values: number;
  stringChars: number;
  keyChars: number;
}

export const BODY_LIMITS: Readonly<BodyLimits> = {
  /** Nesting of objects and arrays: the DTOs need a handful; thousands overflowed the stack (500). */
  depth: 64,
  propertiesPerObject: 100,
  properties: 2_000,
  arrayItems: 1_000,
  /** Every value (property values and array items) in the body. */
  values: 10_000,
  /** Characters of one string value (a rule-set document sent as JSON is one string). */
  stringChars: 64 * 1024,
  /** Characters of one property name. */
  keyChars: 256,
};

/** A body refused by the parser, answered as problem details (413 over a limit, 400 for text PostgreSQL cannot store). */
export class BodyRefused extends HttpProblem {
  constructor(statusCode: 400 | 413, code: 'BODY_TOO_LARGE' | 'INVALID_TEXT' | 'BODY_TOO_DEEP', message: string) {
    super(statusCode, code, message);
    this.name = 'BodyRefused';
  }
}

/** A UTF-16 surrogate without its pair: JSON can carry one as an escape, PostgreSQL jsonb refuses it (500). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkText(text: string, what: 'text' | 'property name'): void {
  if (text.includes('\u0000')) throw new BodyRefused(400, 'INVALID_TEXT', `Text in the request may not contain NUL characters (\\u0000): a ${what} has one.`);
  if (LONE_SURROGATE.test(text))
    throw new BodyRefused(
      400,
      'INVALID_TEXT',
      `A ${what} in the request has a lone UTF-16 surrogate (such as \\ud800 without its pair): it is not valid Unicode text.`,
    );
}

/**
 * Walks a parsed body once, counting against the limits, and refuses NUL and lone surrogates
 * in any string or property name. Linear in the size of the body; the depth is bounded too.
 */
export function checkBody(value: unknown, limits: BodyLimits = BODY_LIMITS): void {
  const count = { properties: 0, values: 0 };
  const tooLarge = (detail: string) => new BodyRefused(413, 'BODY_TOO_LARGE', `${detail} The body is refused before validation.`);
  const walk = (node: unknown, depth: number): void => {
    if (typeof node === 'string') {
      if (node.length > limits.stringChars) throw tooLarge(`A string in the body has more than ${limits.stringChars} characters.`);
      checkText(node, 'text');
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (depth > limits.depth) throw new BodyRefused(400, 'BODY_TOO_DEEP', `The body is nested deeper than ${limits.depth} levels.`);
    if (Array.isArray(node)) {
      if (node.length > limits.arrayItems) throw tooLarge(`An array in the body has more than ${limits.arrayItems} items.`);
      count.values += node.length;
      if (count.values > limits.values) throw tooLarge(`The body has more than ${limits.values} values in all.`);
      for (const item of node) walk(item, depth + 1);
      return;
    }
    const keys = Object.keys(node);
    if (keys.length > limits.propertiesPerObject) throw tooLarge(`An object in the body has more than ${limits.propertiesPerObject} properties.`);
    count.properties += keys.length;
    if (count.properties > limits.properties) throw tooLarge(`The body has more than ${limits.properties} properties in all.`);
    count.values += keys.length;
    if (count.values > limits.values) throw tooLarge(`The body has more than ${limits.values} values in all.`);
    for (const key of keys) {
      if (key.length > limits.keyChars) throw tooLarge(`A property name in the body has more than ${limits.keyChars} characters.`);
      checkText(key, 'property name');
      walk((node as Record<string, unknown>)[key], depth + 1);
    }
  };
  walk(value, 1);
}

/**
 * One pass over the JSON text before it is parsed (parsing 22,000 keys alone costs tens of
 * milliseconds): nesting depth (brackets outside strings), properties (colons outside
 * strings) and a lower bound of the values (commas outside strings). Each is exact or a
 * lower bound, so a body within the limits is never refused here; checkBody counts exactly.
 */
export function prescanJson(text: string, limits: BodyLimits = BODY_LIMITS): BodyRefused | undefined {
  let depth = 0;
  let properties = 0;
  let separators = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limits.depth) return new BodyRefused(400, 'BODY_TOO_DEEP', `The JSON body is nested deeper than ${limits.depth} levels.`);
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x3a) {
      if (++properties > limits.properties)
        return new BodyRefused(413, 'BODY_TOO_LARGE', `The body has more than ${limits.properties} properties in all. The body is refused before validation.`);
    } else if (c === 0x2c && ++separators > limits.values) {
      return new BodyRefused(413, 'BODY_TOO_LARGE', `The body has more than ${limits.values} values in all. The body is refused before validation.`);
    }
  }
  return undefined;
}

/**
 * The body parsers, replacing Fastify's defaults: JSON (prototype poisoning refused) behind the
 * pre-scan and the limits above, form-encoded bodies under the same limits, and YAML as
 * text (rule-set documents, parsed by the rules module). Fastify's text/plain parser is
 * removed: an unknown content type answers 415.
 */
export function registerBodyParsers(fastify: FastifyInstance, limits: BodyLimits = BODY_LIMITS): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const refused = prescanJson(body as string, limits);
    if (refused) return done(refused, undefined);
    parseJson(request, body as string, (error, value) => {
      if (error) return done(error, undefined);
      try {
        checkBody(value, limits);
      } catch (refused) {
        return done(refused as Error, undefined);
      }
      done(null, value);
    });
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    // maxKeys: querystring stops counting there, so a form cannot cost more than the limit either.
    const value = parseQueryString(body as string, '&', '=', { maxKeys: limits.propertiesPerObject + 1 });
    try {
      checkBody(value, limits);
    } catch (refused) {
      return done(refused as Error, undefined);
    }
    done(null, value);
  });
  fastify.addContentTypeParser(['text/yaml', 'application/yaml', 'application/x-yaml'], { parseAs: 'string' }, (_request, body, done) =>
    String(body).includes('\u0000')
      ? done(new BodyRefused(400, 'INVALID_TEXT', 'Text in the request may not contain NUL characters.'), undefined)
      : done(null, body),
  );
}
