import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PUBLISHED_IN_ORDER,
  REPO_ROOT,
  readManifest,
  type WorkspacePackage,
  workspacePackages,
} from './workspace.js';

const root = readManifest(REPO_ROOT);
const packages = workspacePackages();
const repositoryUrl = (pkg: WorkspacePackage) =>
  typeof pkg.manifest.repository === 'object' ? pkg.manifest.repository.url : pkg.manifest.repository;

describe('package manifests', () => {
  it('the root carries the MIT licence', () => {
    const licence = readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8');
    expect(licence).toMatch(/^MIT License\n/);
    expect(licence).toContain('Permission is hereby granted, free of charge');
  });

  it('publishes exactly core, engine, prober and cli; the rest stay private', () => {
    const published = packages.filter((pkg) => !pkg.manifest.private).map((pkg) => pkg.manifest.name);
    expect(published.sort()).toEqual([...PUBLISHED_IN_ORDER].sort());
  });

  it.each(packages.map((pkg) => [pkg.path, pkg] as const))(
    '%s: licence, description, keywords, homepage, bugs, repository with its directory, engines',
    (_path, pkg: WorkspacePackage) => {
      const { manifest } = pkg;
      expect(manifest.license).toBe('MIT');
      expect(manifest.description?.length).toBeGreaterThan(10);
      expect(manifest.keywords?.length).toBeGreaterThan(0);
      expect(manifest.repository).toMatchObject({ type: 'git', directory: pkg.path });
      // One repository for all, and the homepage is this package's folder in it.
      expect(repositoryUrl(pkg)).toBe(repositoryUrl(packages[0] as WorkspacePackage));
      const base = (repositoryUrl(pkg) ?? '').replace(/^git\+/, '').replace(/\.git$/, '');
      expect(manifest.homepage).toBe(`${base}/tree/main/${pkg.path}#readme`);
      expect(manifest.bugs).toEqual({ url: `${base}/issues` });
      expect(manifest.engines?.node).toBe(root.engines?.node);
    },
  );

  it.each(packages.filter((pkg) => !pkg.manifest.private).map((pkg) => [pkg.path, pkg] as const))(
    '%s: its tarball gets the root LICENSE (its own copy when it ships any other licence file)',
    (_path, pkg) => {
      // pnpm pack adds the root LICENSE only when no shipped file is named like a licence; the prober ships
      // Redoc's `redoc.standalone.js.LICENSE.txt`, so it carries its own copy, which must not drift.
      const licence = readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8');
      const shipped = (pkg.manifest.files ?? [])
        .map((entry) => join(pkg.dir, entry))
        .filter((entry) => existsSync(entry))
        .flatMap((entry) =>
          readdirSync(entry, { recursive: true, encoding: 'utf8' }).map(
            (file) => file.split('/').pop() ?? '',
          ),
        );
      const ownLicence = join(pkg.dir, 'LICENSE');
      if (shipped.some((file) => /licen[cs]e/i.test(file))) expect(existsSync(ownLicence)).toBe(true);
      if (existsSync(ownLicence)) expect(readFileSync(ownLicence, 'utf8')).toBe(licence);
    },
  );

  it('says the Node versions that really run: require(esm) unflagged, which fastify needs for cookie@2', () => {
    // Node 20.19 and 22.12 load an ES module through require() without a flag; 20.18 and 22.11 do not.
    expect(root.engines?.node).toBe('^20.19.0 || >=22.12.0');
  });
});
