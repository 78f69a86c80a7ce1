import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { collectTaggableTypes, render } from '../../../scripts/generate-taggable-types';

// The table SRM-IIP-MGT-02 reads is generated from aws-cdk-lib; this fails when an upgrade changes it
// (regenerate with `npx tsx scripts/generate-taggable-types.ts`). Instantiating every L1 class takes ~10 s.
describe('taggable-types.generated.ts', () => {
  it('matches what aws-cdk-lib can tag', () => {
    const committed = fs.readFileSync(path.resolve(__dirname, '../../../rules/engine/taggable-types.generated.ts'), 'utf8');
    expect(render(collectTaggableTypes())).toBe(committed);
    expect(kit.TAGGABLE_TYPES['AWS::S3::Bucket']).toEqual({ property: 'Tags', shape: 'list' });
    expect(kit.TAGGABLE_TYPES['AWS::SSM::Parameter']).toEqual({ property: 'Tags', shape: 'map' });
    expect(kit.TAGGABLE_TYPES['AWS::AutoScaling::AutoScalingGroup']).toEqual({ property: 'Tags', shape: 'autoscaling' });
    expect(kit.TAGGABLE_TYPES['AWS::CDK::Metadata']).toBeUndefined();
    expect(kit.TAGGABLE_TYPES['AWS::IAM::Policy']).toBeUndefined();
  });
});
