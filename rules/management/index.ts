import type { SrmIipRule } from '../engine/rule';
import { ReplicationTargetsAllowed } from './ReplicationTargetsAllowed';
import { ResourcesClassifiedByTags } from './ResourcesClassifiedByTags';
import { ScpProtectsGuardrails } from './ScpProtectsGuardrails';
import { StackRegionsAllowed } from './StackRegionsAllowed';

export * from './ResourcesClassifiedByTags';
export * from './StackRegionsAllowed';
export * from './ReplicationTargetsAllowed';
export * from './ScpProtectsGuardrails';
export { readResourceTags, tagPropertyOf, isTaggableType } from '../engine/tags';
export type { TagPresence, TagReading } from '../engine/tags';
export { TAGGABLE_TYPES } from '../engine/taggable-types.generated';

/** Rules of clause 8.2.9 (security management), in control order. */
export const MANAGEMENT_RULES: readonly SrmIipRule[] = [ResourcesClassifiedByTags, StackRegionsAllowed, ReplicationTargetsAllowed, ScpProtectsGuardrails];
