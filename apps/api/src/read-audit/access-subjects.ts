import type { FastifyRequest } from 'fastify';

/** What one access touched: a family (or none, e.g. an empty list), its members, data categories. */
export interface AccessSubject {
  familyId: string | null;
  memberIds: string[];
  categories: string[];
}

/** Derives the subjects from the response body a route is about to send. */
export type DescribeAccess = (body: unknown, request: FastifyRequest) => AccessSubject[];

type AnyRecord = Record<string, unknown>;
const isRecord = (v: unknown): v is AnyRecord => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): AnyRecord[] => (Array.isArray(v) ? v.filter(isRecord) : isRecord(v) ? Object.values(v).filter(isRecord) : []);
const isHealth = (d: AnyRecord) => d.unit === 'HVK' || (typeof d.decisionType === 'string' && /health|coordinator/.test(d.decisionType));

/** Categories from the sections present in a family (the view or the folded state). */
function categoriesOf(family: AnyRecord): string[] {
  const categories: string[] = [];
  if ('needs' in family) categories.push('needs');
  if ('decisions' in family || 'familyDecisions' in family) categories.push('decisions');
  if ('payments' in family || 'incomeBasis' in family) categories.push('payments');
  const team = isRecord(family.team) ? family.team : {};
  const units = Array.isArray(team.units) ? team.units : [];
  if (list(family.decisions).some(isHealth) || units.includes('HVK')) categories.push('health');
  return categories;
}

/** GET /families/:familyId: the decision view. */
export const describeFamilyView: DescribeAccess = (body) => {
  const view = isRecord(body) ? body : {};
  return [{ familyId: String(view.familyId ?? ''), memberIds: list(view.members).map((m) => String(m.memberId)), categories: categoriesOf(view) }];
};

/** GET /families/:familyId/stream-state: the state folded from the stream. */
export const describeStreamState: DescribeAccess = (body) => {
  const response = isRecord(body) ? body : {};
  const state = isRecord(response.state) ? response.state : {};
  return [{ familyId: String(response.familyId ?? ''), memberIds: list(state.members).map((m) => String(m.memberId)), categories: categoriesOf(state) }];
};

/** GET /families: one subject per listed family (the list shows counts of needs and decisions). */
export const describeFamilyList: DescribeAccess = (body) => {
  const items = isRecord(body) ? list(body.items) : [];
  if (!items.length) return [{ familyId: null, memberIds: [], categories: [] }];
  return items.map((item) => ({
    familyId: String(item.familyId),
    memberIds: [],
    categories: ['needs', 'decisions', ...(Array.isArray(item.units) && item.units.includes('HVK') ? ['health'] : [])],
  }));
};

/** What a refused or failed request asked for: the family and member it named. */
export function askedFor(request: FastifyRequest): AccessSubject[] {
  const params = isRecord(request.params) ? request.params : {};
  const query = isRecord(request.query) ? request.query : {};
  const familyId = typeof params.familyId === 'string' ? params.familyId : typeof query.familyId === 'string' ? query.familyId : null;
  const memberIds = typeof query.memberId === 'string' ? [query.memberId] : [];
  return [{ familyId, memberIds, categories: [] }];
}
