/** The app folder, relative to the package directory. */
export declare const APP_DIR: string;
/** The one runtime dependency of the built app. */
export declare const PLATFORM_PACKAGE: string;
/** Builds the app folder at `outDir` (absolute, or relative to the package directory); returns its absolute path. */
export declare function buildApp(outDir?: string): Promise<string>;
