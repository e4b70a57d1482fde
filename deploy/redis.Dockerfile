# Redis for the fleet, built from Debian's redis-server package. On a host that reaches Docker Hub you may use
# the official image instead (`image: redis:7` in compose.yaml); this build also works where only Debian's
# mirrors are reachable (BASE_IMAGE=local/debian:bookworm on the project's CI machines).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown redis:redis /data
USER redis
WORKDIR /data
VOLUME ["/data"]
# Loopback only: with host networking this is the host's loopback, so Redis is not reachable from outside.
CMD ["redis-server", "--bind", "127.0.0.1", "--port", "6379", "--appendonly", "yes", "--dir", "/data"]
