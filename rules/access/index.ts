import type { SrmIipRule } from '../engine/rule';

/** Rules of this control family. */
export const ACCESS_RULES: readonly SrmIipRule[] = [];
