# syntax=docker/dockerfile:1
# The sotcheck container image: Debian 12, the .deb built in a first stage and
# installed into a slim second one, a non-root user, the repository to check
# mounted at /repo.
#   docker build --build-arg SOTCHECK_COMMIT=$(git rev-parse --short=12 HEAD) -t sotcheck .
#   docker run --rm -v "$PWD:/repo:ro" sotcheck validate
# scripts/build-image.sh builds the same image without pulling a base image
# (mmdebstrap + podman import).

FROM debian:12 AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN scripts/install-deps.sh --build-only dpkg-dev file && rm -rf /var/lib/apt/lists/*
COPY . .
ARG SOTCHECK_COMMIT=unknown
RUN cmake --preset package -DSOTCHECK_COMMIT="${SOTCHECK_COMMIT}" >/dev/null \
 && cmake --build --preset package \
 && cpack --preset package

FROM debian:12-slim
COPY --from=build /src/build-package/sotcheck_*.deb /tmp/
RUN apt-get update \
 && apt-get install -y --no-install-recommends /tmp/sotcheck_*.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/sotcheck_*.deb \
 && useradd --uid 10001 --user-group --home-dir /repo --no-create-home --shell /usr/sbin/nologin sotcheck \
 && mkdir -p /repo && chown sotcheck:sotcheck /repo
USER sotcheck
WORKDIR /repo
ENTRYPOINT ["sotcheck"]
CMD ["validate", "."]
