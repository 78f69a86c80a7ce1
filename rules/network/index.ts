import type { SrmIipRule } from '../engine/rule';
import { ComputeNoPublicIpOutsideIngress } from './ComputeNoPublicIpOutsideIngress';
import { DatabasesNotPublic } from './DatabasesNotPublic';
import { InternetEntryPointRateLimited } from './InternetEntryPointRateLimited';
import { InternetRouteOnlyFromIngress } from './InternetRouteOnlyFromIngress';
import { NetworkAclCrossingsUseConduits } from './NetworkAclCrossingsUseConduits';
import { SearchDomainsInVpc } from './SearchDomainsInVpc';
import { SecurityGroupCrossingsUseConduits } from './SecurityGroupCrossingsUseConduits';
import { SecurityGroupNoAllPortsIngress } from './SecurityGroupNoAllPortsIngress';
import { SecurityGroupNoPublicIngress } from './SecurityGroupNoPublicIngress';
import { SubnetHasOneZone } from './SubnetHasOneZone';
import { SubnetNoPublicIpOutsideIngress } from './SubnetNoPublicIpOutsideIngress';
import { SubnetPlacementInOwnDomain } from './SubnetPlacementInOwnDomain';
import { VpcDefaultSecurityGroupRestricted } from './VpcDefaultSecurityGroupRestricted';
import { VpcFlowLogsEnabled } from './VpcFlowLogsEnabled';
import { VpcServiceEndpointsPresent } from './VpcServiceEndpointsPresent';
import { ZoneModelWellFormed } from './ZoneModelWellFormed';

// The pure judgements shared by the zone-model rules (CIDRs, protocols, conduits); the readers stay internal.
export {
  cidrContains,
  cidrsOverlap,
  conduitCoversTraffic,
  crossingAllowed,
  describeTraffic,
  isAllPortsRule,
  isAnywhereCidr,
  normalizeIpProtocol,
  parseCidr,
  portSpan,
  publicAddressAllowed,
} from './network-model';
export type { ConduitSpec, ParsedCidr, Traffic } from './network-model';
export * from './ComputeNoPublicIpOutsideIngress';
export * from './DatabasesNotPublic';
export * from './InternetEntryPointRateLimited';
export * from './InternetRouteOnlyFromIngress';
export * from './NetworkAclCrossingsUseConduits';
export * from './SearchDomainsInVpc';
export * from './SecurityGroupCrossingsUseConduits';
export * from './SecurityGroupNoAllPortsIngress';
export * from './SecurityGroupNoPublicIngress';
export * from './SubnetHasOneZone';
export * from './SubnetNoPublicIpOutsideIngress';
export * from './SubnetPlacementInOwnDomain';
export * from './VpcDefaultSecurityGroupRestricted';
export * from './VpcFlowLogsEnabled';
export * from './VpcServiceEndpointsPresent';
export * from './ZoneModelWellFormed';

/** Rules of clause 8.2.3 (network security), in control order. */
export const NETWORK_RULES: readonly SrmIipRule[] = [
  // SRM-IIP-NET-01
  SubnetHasOneZone,
  SubnetPlacementInOwnDomain,
  // SRM-IIP-NET-02
  SecurityGroupNoPublicIngress,
  SecurityGroupNoAllPortsIngress,
  // SRM-IIP-NET-03
  SubnetNoPublicIpOutsideIngress,
  InternetRouteOnlyFromIngress,
  DatabasesNotPublic,
  SearchDomainsInVpc,
  ComputeNoPublicIpOutsideIngress,
  // SRM-IIP-NET-04
  VpcServiceEndpointsPresent,
  // SRM-IIP-NET-05
  VpcFlowLogsEnabled,
  // SRM-IIP-NET-06
  ZoneModelWellFormed,
  SecurityGroupCrossingsUseConduits,
  NetworkAclCrossingsUseConduits,
  // SRM-IIP-NET-07
  InternetEntryPointRateLimited,
  // SRM-IIP-NET-08
  VpcDefaultSecurityGroupRestricted,
];
