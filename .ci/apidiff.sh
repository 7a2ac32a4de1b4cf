#!/usr/bin/env bash
# apidiff.sh: the exported API of every published module (the root, with
# posthogtest, and redislimit) compared with the last release by
# golang.org/x/exp/cmd/apidiff. An incompatible change fails unless
# CHANGELOG.md's "## [Unreleased]" section names it in backticks, qualified
# as apidiff names it: `BatchExport.TeamID`, `ProjectsService.Get` (for a
# method apidiff prints as (*ProjectsService).Get), and with the package
# for a sub-package: `posthogtest.Server.Seed`, `redislimit.Limiter.Pause`.
#
# The release: the tag v0.2.0 when the clone has it, else its commit. Needs
# only Go and the git history (a fresh clone has it).
set -euo pipefail
cd "$(dirname "$0")/.."
APIDIFF=golang.org/x/exp/cmd/apidiff@v0.0.0-20261121134650-e1094eeca1b5
release_tag=v0.2.0
release_commit=697c736c5065a9221e8ecec553414584246e7c1b # main at the 0.2.0 release (no tag was pushed)
base=${APIDIFF_BASE:-}
if [ -z "$base" ]; then
  if git rev-parse -q --verify "refs/tags/$release_tag^{commit}" >/dev/null; then
    base=$release_tag
  else
    base=$release_commit
  fi
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/old"
git archive "$base" | tar -x -C "$work/old"
GOBIN="$work" go install "$APIDIFF"

# The Unreleased section of CHANGELOG.md: from its heading to the next "## ".
unreleased=$(awk '/^## \[Unreleased\]/{on=1; next} /^## /{on=0} on' CHANGELOG.md)

status=0
check() { # check DIR MODULE PREFIX
  local dir=$1 mod=$2 prefix=$3 name out
  name=$(echo "$mod" | tr '/.' '__')
  (cd "$work/old/$dir" && "$work/apidiff" -m -w "$work/$name.old" "$mod")
  (cd "$dir" && "$work/apidiff" -m -w "$work/$name.new" "$mod")
  out=$("$work/apidiff" -m -incompatible "$work/$name.old" "$work/$name.new")
  echo "== apidiff $mod against $base"
  [ -z "$out" ] && { echo "no incompatible change"; return; }
  echo "$out"
  # Lines "- NAME: what changed". apidiff -m names a sub-package's
  # identifiers "./posthogtest.(*Server).Seed": drop "./" and the method's
  # receiver parentheses; a module's root package gets the prefix given.
  while IFS= read -r line; do
    [[ "$line" == "- "* ]] || continue
    local ident=${line#- }
    ident=${ident%%: *}
    ident=$(sed -E 's#^\./##; s/\(\*?([A-Za-z0-9_]+)\)\./\1./g' <<<"$ident")
    if [ -n "$prefix" ] && [[ "$ident" != "$prefix."* ]]; then ident="$prefix.$ident"; fi
    if ! grep -qF "\`$ident\`" <<<"$unreleased"; then
      echo "not in CHANGELOG.md's [Unreleased] section: \`$ident\`"
      status=1
    fi
  done <<<"$out"
}
check . github.com/hogkit/posthogapi ""
check redislimit github.com/hogkit/posthogapi/redislimit redislimit
if [ "$status" -ne 0 ]; then
  echo "incompatible API changes must be named in CHANGELOG.md's [Unreleased] section (DEVELOPING.md: Compatibility)"
fi
exit "$status"
