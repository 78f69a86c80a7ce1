import { IConstruct } from 'constructs';
import * as kit from '../../../index';
import { ACME_CONTROLS } from './controls';
import { ACME_RULES } from './QualityRecordBucketsLocked';

/** Name of ACME's pack in CDK's validation report. */
export const ACME_PACK_NAME = 'ACME-SRM-IIP';

/**
 * ACME's pack: every SRM-IIP rule plus ACME's own, in one cdk-nag v3 pack.
 * ACME's controls are passed to the kit as extra controls, so their findings,
 * acknowledgements, severity overrides and statuses work like the kit's.
 */
export class AcmeChecks extends kit.SrmIipChecks {
  public readonly name = ACME_PACK_NAME;

  constructor(scope?: IConstruct, props: kit.SrmIipChecksProps = {}) {
    super(scope, { ...props, controls: [...ACME_CONTROLS, ...(props.controls ?? [])] }, [...kit.ALL_RULES, ...ACME_RULES]);
    this.packName = ACME_PACK_NAME;
  }
}
