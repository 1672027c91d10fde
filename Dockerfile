# syntax=docker/dockerfile:1
#
# gongwen HTTP service: docker build -t gongwen . && docker run -p 8080:8080 gongwen
# Then open http://localhost:8080/ (set -e GONGWEN_API_TOKEN=... to require a token).

# ---- build: a static binary (no cgo), templates and the web page embedded ----
FROM golang:1.26-bookworm AS build
WORKDIR /src
# Dependencies first, so that source edits reuse the module download layer.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOFLAGS=-trimpath \
    go build -ldflags "-s -w -X main.version=${VERSION}" -o /out/gongwen ./cmd/gongwen

# ---- runtime: Debian slim with the free font set, nothing else ----
FROM debian:bookworm-slim
# The same script a developer machine and CI run, so the image renders with
# exactly the fonts the tests were checked against (Noto CJK, LXGW WenKai,
# Fandol). It runs apt-get update itself when needed; the lists are removed
# afterwards to keep the layer small.
COPY scripts/setup-fonts.sh /tmp/setup-fonts.sh
RUN sh /tmp/setup-fonts.sh \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /tmp/setup-fonts.sh
RUN groupadd --system --gid 10001 gongwen \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin gongwen
COPY --from=build /out/gongwen /usr/local/bin/gongwen
# The converted glyphs of the characters documents use, made once here as the
# user the server runs as (whose home is /nonexistent: the cache directory is
# named), so that no render in a container converts any (README, Cold start).
ENV GONGWEN_GLYPH_CACHE=/var/cache/gongwen/glyphs
RUN install -d -o 10001 -g 10001 /var/cache/gongwen/glyphs
USER 10001:10001
RUN gongwen fonts warm
EXPOSE 8080
# No curl in the image: the binary probes its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["gongwen", "serve", "--addr", "127.0.0.1:8080", "--healthcheck"]
# SIGTERM (docker stop) drains in-flight renders; give it time to.
STOPSIGNAL SIGTERM
ENTRYPOINT ["gongwen"]
CMD ["serve", "--addr", "0.0.0.0:8080"]
