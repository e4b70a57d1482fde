# The prober endpoint as a container image: `mailprobe serve` on the embedded SQLite store (or a Redis fleet
# with MAILPROBE_REDIS_URL). Build: `docker build -t mailprobe .` (see docs/deploy.md).
# Stage 1 installs with pnpm from the lockfile, compiles TypeScript and better-sqlite3's native module, then
# installs the runtime tree with production dependencies only; stage 2 holds just that and Node.
ARG BASE_IMAGE=node:20-bookworm-slim

FROM ${BASE_IMAGE} AS build
ARG PNPM_VERSION=10.34.9
# Compilers for better-sqlite3 when no prebuilt binary can be downloaded (offline or unusual platforms).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# node-gyp needs Node's headers; base images without them get the exact version's from the npm registry.
RUN npm install -g --no-audit --no-fund "pnpm@${PNPM_VERSION}" \
 && if [ ! -f /usr/local/include/node/node.h ]; then \
      cd /tmp && npm pack -s "node-linux-$(node -p process.arch)@$(node -p 'process.versions.node')" \
      && tar -xzf node-linux-*.tgz package/include && cp -r package/include/node /usr/local/include/ \
      && rm -rf /tmp/package /tmp/node-linux-*.tgz; \
    fi
# JOBS: node-gyp compiles on every core.
ENV npm_config_nodedir=/usr/local JOBS=max CI=true
WORKDIR /src
# Manifests first, so the install layer (downloads, native build) is reused while only sources change. Only the
# CLI, what it needs and the root (TypeScript, @types/node) are installed, exactly as locked.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY packages/core/package.json packages/core/
COPY packages/engine/package.json packages/engine/
COPY packages/prober/package.json packages/prober/
COPY packages/cli/package.json packages/cli/
RUN pnpm install --frozen-lockfile --filter "@mailprobe/cli..." --filter mailprobe-monorepo
COPY . .
RUN pnpm --filter "@mailprobe/cli..." run build
# The runtime tree: the four packages' package.json + dist, and their production dependencies only (from the
# same store, so better-sqlite3 is not compiled twice); its build leftovers are dropped, its .node file kept.
RUN mkdir -p /opt/mailprobe \
 && cp pnpm-lock.yaml pnpm-workspace.yaml package.json /opt/mailprobe/ \
 && for name in core engine prober cli; do \
      mkdir -p "/opt/mailprobe/packages/$name" \
      && cp -r "packages/$name/package.json" "packages/$name/dist" "/opt/mailprobe/packages/$name/"; \
    done \
 && cd /opt/mailprobe \
 && pnpm install --frozen-lockfile --prod --offline --filter "@mailprobe/cli..." \
 && find packages -name '*.map' -delete \
 && cd node_modules/.pnpm/better-sqlite3@*/node_modules/better-sqlite3 \
 && rm -rf deps src build/deps build/Release/obj build/Release/obj.target build/Release/.deps \
      build/Release/sqlite3.a build/Release/test_extension.node

FROM ${BASE_IMAGE}
ENV NODE_ENV=production \
    MAILPROBE_LISTEN=0.0.0.0:8025 \
    MAILPROBE_DATA_DIR=/var/lib/mailprobe
RUN groupadd --system mailprobe \
 && useradd --system --gid mailprobe --home-dir /var/lib/mailprobe --shell /usr/sbin/nologin mailprobe \
 && mkdir -p /var/lib/mailprobe && chown mailprobe:mailprobe /var/lib/mailprobe
COPY --from=build /opt/mailprobe /opt/mailprobe
COPY deploy/healthcheck.mjs /opt/mailprobe/healthcheck.mjs
RUN ln -s /opt/mailprobe/packages/cli/dist/bin.js /usr/local/bin/mailprobe \
 && chmod 755 /opt/mailprobe/packages/cli/dist/bin.js
USER mailprobe
WORKDIR /var/lib/mailprobe
VOLUME ["/var/lib/mailprobe"]
EXPOSE 8025
# Ready = the store answers and the node is not draining; the script reads MAILPROBE_LISTEN like serve does.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["node", "/opt/mailprobe/healthcheck.mjs"]
# serve handles SIGTERM itself (drains, then exits 0), so node may be PID 1.
ENTRYPOINT ["node", "/opt/mailprobe/packages/cli/dist/bin.js"]
CMD ["serve"]
