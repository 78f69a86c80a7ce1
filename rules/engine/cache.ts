import type { AppModel } from './model';

/** Cache of an index per app: rules build their lookups once, not once per resource. */
export function perApp<T>(build: (app: AppModel) => T): (app: AppModel) => T {
  const cache = new WeakMap<AppModel, T>();
  return (app) => {
    let v = cache.get(app);
    if (v === undefined) {
      v = build(app);
      cache.set(app, v);
    }
    return v;
  };
}
