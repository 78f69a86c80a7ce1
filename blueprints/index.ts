export * from './security-levels';
export * from './IipPlatform';
export * from './IipLineRetirement';
export * from './ProductionOptimizationBlueprint';
export * from './ProductCustomizationBlueprint';
export * from './MultilevelSecurityProductionBlueprint';
export * from './TransnationalCooperationBlueprint';
