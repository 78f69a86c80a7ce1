import type { SrmIipRule } from '../engine/rule';
import { ApiGatewayDefaultEndpointUsesModernTls } from './ApiGatewayDefaultEndpointUsesModernTls';
import { ApiGatewayDomainsUseModernTls } from './ApiGatewayDomainsUseModernTls';
import { CachesEncryptInTransit } from './CachesEncryptInTransit';
import { CloudFrontViewersUseModernTls } from './CloudFrontViewersUseModernTls';
import { DataStoresDenyInsecureTransport } from './DataStoresDenyInsecureTransport';
import { IotAuthorizersVerifySignatures } from './IotAuthorizersVerifySignatures';
import { IotDomainConfigurationsUseModernTls } from './IotDomainConfigurationsUseModernTls';
import { LoadBalancerListenersUseModernTls } from './LoadBalancerListenersUseModernTls';
import { MskEncryptsInTransit } from './MskEncryptsInTransit';
import { OpenSearchEncryptsInTransit } from './OpenSearchEncryptsInTransit';
import { VpnTunnelsUseStrongCrypto } from './VpnTunnelsUseStrongCrypto';

export * from './DataStoresDenyInsecureTransport';
export * from './LoadBalancerListenersUseModernTls';
export * from './ApiGatewayDomainsUseModernTls';
export * from './ApiGatewayDefaultEndpointUsesModernTls';
export * from './CloudFrontViewersUseModernTls';
export * from './IotDomainConfigurationsUseModernTls';
export * from './IotAuthorizersVerifySignatures';
export * from './MskEncryptsInTransit';
export * from './CachesEncryptInTransit';
export * from './OpenSearchEncryptsInTransit';
export * from './VpnTunnelsUseStrongCrypto';

/** Rules of clause 8.2.5 (communication security), in control order. */
export const COMMUNICATION_RULES: readonly SrmIipRule[] = [
  // SRM-IIP-COM-01
  DataStoresDenyInsecureTransport,
  // SRM-IIP-COM-02
  LoadBalancerListenersUseModernTls,
  ApiGatewayDomainsUseModernTls,
  ApiGatewayDefaultEndpointUsesModernTls,
  CloudFrontViewersUseModernTls,
  // SRM-IIP-COM-03
  IotDomainConfigurationsUseModernTls,
  IotAuthorizersVerifySignatures,
  // SRM-IIP-COM-04
  MskEncryptsInTransit,
  CachesEncryptInTransit,
  OpenSearchEncryptsInTransit,
  // SRM-IIP-COM-05
  VpnTunnelsUseStrongCrypto,
];
