#!/usr/bin/env bash
# Measures what the SDK costs a consumer (PERFORMANCE.md, "What a consumer
# pays"): the binary size of ./sdk against its net/http + encoding/json twin
# ./plain, default and stripped; the modules in a fresh consumer's go.sum
# after `go mod tidy`; and the cold compile time of the SDK and its
# dependencies with an empty build cache. Run from anywhere:
#   bash internal/sizecheck/measure.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$repo"
for flags in "" "-s -w"; do
  go build -trimpath -ldflags="$flags" -o "$work/sdk" ./internal/sizecheck/sdk
  go build -trimpath -ldflags="$flags" -o "$work/plain" ./internal/sizecheck/plain
  s=$(stat -c %s "$work/sdk"); p=$(stat -c %s "$work/plain")
  echo "binary (ldflags='${flags}'): sdk $s bytes, plain $p bytes, ratio $(awk "BEGIN{printf \"%.3f\", $s/$p}")"
done

# A consumer module outside the repository, with a replace to it.
mkdir "$work/consumer"
cp internal/sizecheck/sdk/main.go "$work/consumer/main.go"
cd "$work/consumer"
go mod init example.com/consumer >/dev/null 2>&1
go mod edit -require=github.com/hogkit/posthogapi@v0.0.0 -replace=github.com/hogkit/posthogapi="$repo"
go mod tidy >/dev/null 2>&1
echo "consumer go.sum: $(awk '{print $1}' go.sum | sort -u | wc -l) modules: $(awk '{print $1}' go.sum | sort -u | tr '\n' ' ')"
echo "of which with their code (not only go.mod) hashed, i.e. built: $(grep -v '/go.mod ' go.sum | awk '{print $1}' | sort -u | tr '\n' ' ')"
echo "consumer go list -m all: $(go list -m all | wc -l) modules (itself included)"
echo "consumer build list has goccy or kin-openapi: $(go list -m all | grep -cE 'goccy|kin-openapi' || true)"

# Cold compile of what the SDK adds: an empty GOCACHE, the plain twin built
# first (the standard library packages both need), then the SDK program in
# the same cache, which compiles only posthogapi and its dependencies (and
# links). CPU seconds (user+sys) are less at the mercy of the machine's load
# than the wall clock, which is given too.
export GOCACHE="$work/cache"
cp main.go sdk.go.txt
cp "$repo/internal/sizecheck/plain/main.go" main.go
build() { # build <label>: prints wall and CPU seconds
  local t0 t1 c0 c1
  t0=$(date +%s.%N); c0=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
  go build -o "$work/bin-$1" .
  t1=$(date +%s.%N); c1=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
  echo "cold build, $1: $(awk "BEGIN{printf \"%.1f\", $t1-$t0}") s wall, $(awk "BEGIN{printf \"%.1f\", ($c1-$c0)/$(getconf CLK_TCK)}") s CPU"
}
build "plain twin (standard library)"
mv sdk.go.txt main.go
build "then the SDK program (posthogapi and its dependencies, same cache)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
