import { Tags } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { LifecycleStage } from '../rules/catalog/types';
import { TAG_LEVEL, TAG_OWNER, TAG_STAGE, TAG_ZONE } from '../rules/engine/zones';
import { validateLevel, validateNonEmpty } from './private/validate';

/**
 * Inventory and classification of what a construct creates (SRM-IIP-MGT-02):
 * every taggable resource gets the zone, classification level, owner and
 * life-cycle stage tags.
 */
export interface IipTaggingProps {
  /**
   * Zone the resources belong to (one of the four security domains, or a finer zone of the zone model).
   * @default - the construct's own zone (documented on each construct)
   * @see SRM-IIP-MGT-02
   */
  readonly zone?: string;
  /**
   * Classification level, 1 = lowest.
   * @default 1
   * @see SRM-IIP-SYS-06
   */
  readonly classificationLevel?: number;
  /**
   * Team or person accountable for the resources.
   * @default 'iip-platform'
   */
  readonly owner?: string;
  /**
   * Life-cycle stage of the resources.
   * @default LifecycleStage.UTILIZATION_SUPPORT
   */
  readonly lifecycleStage?: LifecycleStage;
}

/** The tag values a construct applies, after defaults. */
export interface IipTagValues {
  readonly zone: string;
  readonly classificationLevel: number;
  readonly owner: string;
  readonly lifecycleStage: LifecycleStage;
}

/** Default tag values, given the construct's own zone. */
export function defaultTagValues(props: IipTaggingProps, defaultZone: string): IipTagValues {
  return {
    zone: props.zone ?? defaultZone,
    classificationLevel: props.classificationLevel ?? 1,
    owner: props.owner ?? 'iip-platform',
    lifecycleStage: props.lifecycleStage ?? LifecycleStage.UTILIZATION_SUPPORT,
  };
}

/**
 * Validate and apply the kit's four tags to everything under `scope`.
 * Nearer scopes win (a subnet's own zone over its VPC's), so constructs
 * that hold several zones tag their parts with a higher priority.
 */
export function applyIipTags(scope: IConstruct, props: IipTaggingProps, defaultZone: string, priority = 100): IipTagValues {
  const v = defaultTagValues(props, defaultZone);
  validateNonEmpty(scope, 'zone', v.zone);
  validateNonEmpty(scope, 'owner', v.owner);
  validateLevel(scope, 'classificationLevel', v.classificationLevel);
  const tags = Tags.of(scope);
  tags.add(TAG_ZONE, v.zone, { priority });
  tags.add(TAG_LEVEL, String(v.classificationLevel), { priority });
  tags.add(TAG_OWNER, v.owner, { priority });
  tags.add(TAG_STAGE, v.lifecycleStage, { priority });
  return v;
}
