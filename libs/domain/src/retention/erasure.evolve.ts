import {
  ERASURE_ON_REQUEST_PROVISION,
  type ErasedRecord,
  type ErasureRefused,
  type ErasureRequest,
  type ErasureRequested,
  type PersonalDataErased,
} from './erasure.types';
import { keyRefCategory } from '../personal-data/personal-data.catalogue';

/** How erasure events fold into the family state (called from family.evolve.ts; pure, new objects only). */

/** Each erased key ref with its day and rule: what a view shows as "erased on <on> under <rule>". */
export function erasedRecords(event: PersonalDataErased): ErasedRecord[] {
  const { erasureId, on, rule, requestId, at, by } = event.data;
  return event.data.keyRefs.map((keyRef) => ({
    keyRef,
    // A key ref always names its category (the catalogue's vocabulary); 'case' only guards a malformed one.
    category: keyRefCategory(keyRef) ?? 'case',
    erasureId,
    on,
    rule,
    requestId,
    provision: rule?.provision ?? ERASURE_ON_REQUEST_PROVISION,
    at,
    by,
  }));
}

export function erasureRequestRecorded(event: ErasureRequested): ErasureRequest {
  const { at, by, ...request } = event.data;
  return { ...request, erased: [], refused: [], recordedAt: at, recordedBy: by };
}

export function withErasedOnRequest(request: ErasureRequest, event: PersonalDataErased): ErasureRequest {
  return { ...request, erased: [...request.erased, ...event.data.keyRefs] };
}

export function withRefusal(request: ErasureRequest, event: ErasureRefused): ErasureRequest {
  const { requestId: _requestId, at: _at, by: _by, ...refusal } = event.data;
  return { ...request, refused: [...request.refused, refusal] };
}
