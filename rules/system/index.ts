import type { SrmIipRule } from '../engine/rule';
import { KmsKeyRotationEnabled } from './KmsKeyRotationEnabled';

export * from './KmsKeyRotationEnabled';

/** Rules of clause 8.2.6 (system security). */
export const SYSTEM_RULES: readonly SrmIipRule[] = [KmsKeyRotationEnabled];
