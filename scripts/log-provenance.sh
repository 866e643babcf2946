#!/usr/bin/env bash
# Writes results/LOG-PROVENANCE.md: for every committed log (results/**, bench/results/*: .txt, .log, .out) that does
# not record its commit and SDK itself (logs written before scripts/provenance.sh, or by hand), the commit that added it to
# git and the SDK that commit's global.json asked for. The log was made by that commit's parent or an uncommitted tree
# before it, so this bounds its code from above; it does not name it exactly. New logs record commit and SDK in their
# first line (scripts/provenance.sh), and LogProvenanceTests fails on a log that does neither.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out=results/LOG-PROVENANCE.md
{
  echo "# Provenance of the logs that do not record it (commit and SDK)"
  echo
  echo "Written by \`scripts/log-provenance.sh\`. Each log below predates \`scripts/provenance.sh\` (or was written by hand):"
  echo "it does not name both the commit and the .NET SDK that produced it (some name the commit, none the SDK). The table gives the commit that added it to git (its"
  echo "code is that commit's parent or an uncommitted tree before it) and the SDK its \`global.json\` pinned (with"
  echo "\`rollForward: latestFeature\`, the machine's newest 10.0 feature band ran it). Logs written since record both in"
  echo "their first line."
  echo
  echo "| log | added in | global.json SDK then |"
  echo "| --- | --- | --- |"
  git ls-files results bench/results | grep -E '\.(txt|log|out)$' | while read -r f; do
    grep -qi 'commit' "$f" && grep -qi 'sdk' "$f" && continue
    [ -f "$(dirname "$f")/provenance.txt" ] && continue
    c="$(git log --diff-filter=A --format=%h -1 -- "$f")"
    sdk="$(git show "$c:global.json" 2>/dev/null | sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' || true)"
    echo "| \`$f\` | $c | ${sdk:-none} |"
  done
} > "$out"
echo "wrote $out ($(grep -c '^| `' "$out") logs)"
