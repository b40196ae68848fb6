import {
  FAMILY_STREAM_PREFIX,
  familyStreamId,
  isSubProjectStream,
  keyRefCategory,
  keyRefsErasedBy,
  personalFieldsOf,
  placeholderAt,
  subProjectPersonalFieldsOf,
  subProjectPlaceholderAt,
  SUB_PROJECT_EVENT_TYPES,
} from '@familievedtak/domain';
import type { PersonalDataPolicy } from './personal-data.policy';

/**
 * The family's personal data wherever the log holds it, under the domain's catalogues
 * (libs/domain/src/personal-data): the family streams, and the sub-project (budget) streams, whose
 * spends of a family payment carry the family's texts under that family's payment key (the key row
 * of the family stream, `keyStreamId`).
 */
const SUB_PROJECT_TYPES: ReadonlySet<string> = new Set(SUB_PROJECT_EVENT_TYPES);
/** A budget stream's event: by its stream, or (no stream given) by its type (the two streams' event types are apart). */
const isBudget = (type: string, streamId: string | undefined) => (streamId === undefined ? SUB_PROJECT_TYPES.has(type) : isSubProjectStream(streamId));

export const familyPersonalDataPolicy: PersonalDataPolicy = {
  appliesTo: (streamId) => streamId.startsWith(FAMILY_STREAM_PREFIX) || isSubProjectStream(streamId),
  fieldsOf: (type, data, streamId) =>
    isBudget(type, streamId)
      ? subProjectPersonalFieldsOf(type, data).map(({ familyId, ...field }) => ({ ...field, keyStreamId: familyStreamId(familyId) }))
      : personalFieldsOf(type, data),
  placeholderAt: (type, path, streamId) => (isBudget(type, streamId) ? subProjectPlaceholderAt(type, path) : placeholderAt(type, path)),
  keyRefsErasedBy: (type, data) => keyRefsErasedBy(type, data),
  categoryOf: (keyRef) => keyRefCategory(keyRef),
};
