import type { FastifyRequest } from 'fastify';

/** What one access touched: a family (or none, e.g. an empty list), its members, data categories, the consents relied on. */
export interface AccessSubject {
  familyId: string | null;
  memberIds: string[];
  categories: string[];
  consentIds?: string[];
}

/** Derives the subjects from the response body a route is about to send (and its request). */
export type DescribeAccess = (body: unknown, request: FastifyRequest) => AccessSubject[];

type AnyRecord = Record<string, unknown>;
const isRecord = (v: unknown): v is AnyRecord => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where a route that filtered family data for its reader leaves what it exposed. */
type WithGrantedAccess = FastifyRequest & { grantedAccess?: AccessSubject[] };

/** Called by a route once it has decided what the reader sees: exactly that goes on the record. */
export function recordGrantedAccess(request: FastifyRequest, subjects: AccessSubject[]): void {
  (request as WithGrantedAccess).grantedAccess = subjects;
}

/**
 * For routes that filter family data per reader (the view, the list, the stream state): the
 * record is what the access decision granted, consents relied on included. A route that
 * forgets to say so fails rather than sending unrecorded data.
 */
export const describeGrantedAccess: DescribeAccess = (_body, request) => {
  const granted = (request as WithGrantedAccess).grantedAccess;
  if (!granted) throw new Error(`${request.method} ${request.url} sent family data without recording what it granted`);
  return granted.length ? granted : [{ familyId: null, memberIds: [], categories: [] }];
};

/** What a refused or failed request asked for: the family and member it named. */
export function askedFor(request: FastifyRequest): AccessSubject[] {
  const params = isRecord(request.params) ? request.params : {};
  const query = isRecord(request.query) ? request.query : {};
  const familyId = typeof params.familyId === 'string' ? params.familyId : typeof query.familyId === 'string' ? query.familyId : null;
  const memberId = typeof params.memberId === 'string' ? params.memberId : typeof query.memberId === 'string' ? query.memberId : null;
  const memberIds = memberId ? [memberId] : [];
  return [{ familyId, memberIds, categories: [] }];
}
