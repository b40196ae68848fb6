import { FAMILY_STREAM_PREFIX, keyRefCategory, keyRefsErasedBy, personalFieldsOf, placeholderAt } from '@familievedtak/domain';
import type { PersonalDataPolicy } from './personal-data.policy';

/** The family streams under the domain's personal-data catalogue (libs/domain/src/personal-data). */
export const familyPersonalDataPolicy: PersonalDataPolicy = {
  appliesTo: (streamId) => streamId.startsWith(FAMILY_STREAM_PREFIX),
  fieldsOf: (type, data) => personalFieldsOf(type, data),
  placeholderAt: (type, path) => placeholderAt(type, path),
  keyRefsErasedBy: (type, data) => keyRefsErasedBy(type, data),
  categoryOf: (keyRef) => keyRefCategory(keyRef),
};
