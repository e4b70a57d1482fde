/** The tags for one released version: the immutable release tag first, then the moving major and minor tags. */
export declare function tagsFor(version: string): { release: string; moving: string[] };
/** Creates the tags in the repository at `cwd` unless the release tag exists; returns the git commands run. */
export declare function tagRelease(options: {
  cwd: string;
  push?: boolean;
  dryRun?: boolean;
  version?: string;
}): { release: string; created: boolean; commands: string[] };
