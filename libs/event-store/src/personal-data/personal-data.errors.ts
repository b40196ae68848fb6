import { EventStoreError } from '../event-store.errors';

/**
 * An append needs a key that has been erased: the record's personal data is gone for good, and a
 * key once erased is never made again (design §2). Nothing of the append is stored. The API
 * answers 410 Gone: the record can no longer take personal data.
 */
export class PersonalDataErasedError extends EventStoreError {
  readonly code = 'PERSONAL_DATA_ERASED';
  constructor(
    readonly streamId: string,
    readonly keyRefs: string[],
  ) {
    super(
      `Stream ${streamId}: the personal data of ${keyRefs.join(', ')} has been erased; an event that needs ${keyRefs.length > 1 ? 'these keys' : 'this key'} cannot be stored`,
    );
    this.name = 'PersonalDataErasedError';
  }
}

/**
 * A stored ciphertext does not decrypt under its key and place (moved, edited, or its key row
 * altered), its key is missing, or its KEK is no longer configured. Never read as erased: an
 * erased key reads as a placeholder, anything else is tampering or a configuration error.
 */
export class PersonalDataIntegrityError extends EventStoreError {
  readonly code = 'PERSONAL_DATA_INTEGRITY';
  constructor(
    readonly streamId: string,
    readonly keyRef: string,
    readonly detail: string,
    readonly eventId?: string,
    readonly path?: string,
  ) {
    super(`Stream ${streamId}${eventId ? `, event ${eventId}` : ''}${path ? `, field ${path}` : ''}: personal data under ${keyRef} cannot be read: ${detail}`);
    this.name = 'PersonalDataIntegrityError';
  }
}
