import type { SrmIipRule } from '../engine/rule';
import { DedicatedTenancyForTopLevel } from './DedicatedTenancyForTopLevel';

export * from './DedicatedTenancyForTopLevel';

/** Rules of clause 8.2.2 (physical security). */
export const PHYSICAL_RULES: readonly SrmIipRule[] = [DedicatedTenancyForTopLevel];
