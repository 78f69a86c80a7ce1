import type { SrmIipRule } from '../engine/rule';

/** Rules of this control family. */
export const APPLICATION_RULES: readonly SrmIipRule[] = [];
