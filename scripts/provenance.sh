# Sourced by the benchmark and experiment scripts: `provenance` prints the first lines every log starts with, so a
# figure or table can be traced to the code and toolchain that made it: the commit (`git rev-parse --short HEAD`,
# "-dirty" with uncommitted changes), the .NET SDK (`dotnet --version` in the repository, as its global.json picks
# it), the date, the machine's cores and load. Usage: provenance "what this log is"
provenance() {
  local root commit sdk
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [ "$commit" != unknown ] && [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit-dirty"; fi
  sdk="$(cd "$root" && dotnet --version 2>/dev/null || echo unknown)"
  echo "# ${1:-log}: commit $commit, .NET SDK $sdk, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
}
