import type { SrmIipRule } from '../engine/rule';

/** Rules of this control family. */
export const MANAGEMENT_RULES: readonly SrmIipRule[] = [];
