import type { SrmIipRule } from '../engine/rule';

/** Rules of this control family. */
export const COMMUNICATION_RULES: readonly SrmIipRule[] = [];
