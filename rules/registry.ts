import { ACCESS_RULES } from './access';
import { APPLICATION_RULES } from './application';
import { COMMUNICATION_RULES } from './communication';
import type { SrmIipRule } from './engine/rule';
import { MANAGEMENT_RULES } from './management';
import { NETWORK_RULES } from './network';
import { OPERATIONS_RULES } from './operations';
import { PHYSICAL_RULES } from './physical';
import { SYSTEM_RULES } from './system';

/** Every rule of the kit, in catalog order of their families. */
export const ALL_RULES: readonly SrmIipRule[] = [
  ...PHYSICAL_RULES,
  ...NETWORK_RULES,
  ...ACCESS_RULES,
  ...COMMUNICATION_RULES,
  ...SYSTEM_RULES,
  ...APPLICATION_RULES,
  ...OPERATIONS_RULES,
  ...MANAGEMENT_RULES,
];

const BY_ID = new Map(ALL_RULES.map((r) => [r.id, r]));

export function ruleById(id: string): SrmIipRule | undefined {
  return BY_ID.get(id);
}
