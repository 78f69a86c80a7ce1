import type { SrmIipRule } from '../engine/rule';

/** Rules of this control family. */
export const OPERATIONS_RULES: readonly SrmIipRule[] = [];
