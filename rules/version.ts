import { version } from '../package.json';

/** The kit's version, from package.json (one source for the pack, the CLI and the reports). */
export const KIT_VERSION: string = version;
