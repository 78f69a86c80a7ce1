import type { SrmIipRule } from '../engine/rule';

/** Rules of this control family. */
export const PHYSICAL_RULES: readonly SrmIipRule[] = [];
