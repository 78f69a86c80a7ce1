import type { SrmIipRule } from '../engine/rule';

/** Rules of this control family. */
export const NETWORK_RULES: readonly SrmIipRule[] = [];
