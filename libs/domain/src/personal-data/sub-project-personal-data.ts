import type { JsonObject, JsonValue } from '../shared/json';
import type { SubProjectEventType } from '../sub-project/sub-project.events';
import { SUB_PROJECT_STREAM_PREFIX } from '../sub-project/sub-project.events';
import {
  fieldKindByRules,
  fieldsByRules,
  placeholderFor,
  type EventClassification,
  type FieldRule,
  type PersonalField,
  type RecordKey,
} from './personal-data.catalogue';

/**
 * The personal-data catalogue of the sub-project (budget) streams. A spend that pays a family
 * payment carries the family's words about it: what the money was for (`description`), the
 * payment's documentation reference (`payment.documentationRef`, copied into the family's
 * PaymentRecorded) and, when the spend is given back, why (`SpendReversed.reason`, which repeats
 * the family's reversal reason). They are the family's payment record, so they are encrypted under
 * the family's payment key: `payment/<paymentId>` in the family's stream (`familyId` on the key),
 * one key row for both streams. Erasing the payment (bokføringsloven § 13: five years after the
 * year of its last booking) erases its text in the budget stream too.
 *
 * A spend that names no family (a collective cost) is not about a family member: nothing is
 * encrypted. The money (amounts, semesters, ids, categories) stays readable, so the budget's fold
 * and the money reconciliation (libs/audit/src/reconcile) never need a text.
 */

const text = (data: JsonObject, ...path: string[]): string => {
  let value: JsonValue | undefined = data;
  for (const segment of path) value = value !== null && typeof value === 'object' && !Array.isArray(value) ? value[segment] : undefined;
  return typeof value === 'string' ? value : '';
};

/** The family's payment key, when the spend names a family; subjects as far as the event knows them. */
const familyPayment =
  (subjects: (data: JsonObject) => string[] = () => []) =>
  (data: JsonObject): RecordKey | null => {
    const familyId = text(data, 'familyId');
    const paymentId = text(data, 'paymentId');
    if (familyId === '' || paymentId === '') return null;
    return { keyRef: `payment/${paymentId}`, category: 'payment', subjects: subjects(data), familyId };
  };
const recipient = (data: JsonObject) => [text(data, 'payment', 'recipientMemberId')].filter((id) => id !== '');

const PROJECT = "the sub-project's own texts (its name, goals, partners, the run's description, reviews): about the project, not a family member";

/** Every sub-project event type, classified. A Record: a new event type does not compile until it is here. */
export const SUB_PROJECT_PERSONAL_DATA: Readonly<Record<SubProjectEventType, EventClassification>> = {
  SubProjectApproved: { none: PROJECT },
  SpendRecorded: {
    fields: [
      { path: 'description', kind: 'optional-text', key: familyPayment(recipient) },
      { path: 'payment.documentationRef', kind: 'text', key: familyPayment(recipient) },
    ],
  },
  // The run's description names the run (a month, an event), never a family; its families are ids.
  PaymentRunRecorded: { none: PROJECT },
  // `familyId` came with the key (SpendReversed before it carried one stored its reason in plaintext, before encryption existed).
  SpendReversed: { fields: [{ path: 'reason', kind: 'text', key: familyPayment() }] },
  SubProjectReviewed: { none: PROJECT },
  SubProjectTerminated: { none: PROJECT },
};

const CATALOGUE: Readonly<Record<string, EventClassification>> = SUB_PROJECT_PERSONAL_DATA;

const rulesOf = (type: string): readonly FieldRule[] => {
  const entry = Object.prototype.hasOwnProperty.call(CATALOGUE, type) ? CATALOGUE[type] : undefined;
  return entry && 'fields' in entry ? entry.fields : [];
};

/** A personal field of a sub-project event: always under a family's key (`familyId` set). */
export type SubProjectPersonalField = PersonalField & { familyId: string };

/** The personal fields of a sub-project event, each under the family's payment key. Unknown event types have none. */
export function subProjectPersonalFieldsOf(type: string, data: JsonObject): SubProjectPersonalField[] {
  return fieldsByRules(rulesOf(type), data) as SubProjectPersonalField[];
}

/** What an erased field of a sub-project event reads as (a placeholder of its kind; null for a path no rule names). */
export function subProjectPlaceholderAt(type: string, path: ReadonlyArray<string | number>): JsonValue {
  const kind = fieldKindByRules(rulesOf(type), path);
  return kind === undefined ? null : placeholderFor(kind);
}

export function isSubProjectStream(streamId: string): boolean {
  return streamId.startsWith(SUB_PROJECT_STREAM_PREFIX);
}
