/** The committed bundle, relative to the package directory. */
export declare const BUNDLE_PATH: string;
/** Builds the bundle to `outfile` (absolute, or relative to the package directory). */
export declare function buildAction(outfile?: string): Promise<void>;
