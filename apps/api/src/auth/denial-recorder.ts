import type { ExecutionContext } from '@nestjs/common';

export const DENIAL_RECORDER = Symbol('DENIAL_RECORDER');

/** Told by the guard about a verified user it refuses (403), before the refusal is sent. */
export interface DenialRecorder {
  recordDenied(context: ExecutionContext, reader: { userId: string; unit: string | null; role: string | null }, status: number): Promise<void>;
}
