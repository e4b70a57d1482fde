export declare const BUILT_PACKAGES: ReadonlyArray<{ name: string; output: string }>;
/** Why the built CLI cannot be run as it is, or null when every package's dist/ is newer than its sources. */
export declare function staleBuildReason(packagesDir: string): string | null;
