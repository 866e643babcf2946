#!/usr/bin/env bash
# Runs Latent's whole test suite on a fresh machine (only the .NET SDK, node/npm and apt needed):
#   1. installs, with apt, the programs some tests drive: headless Chromium (the HTML report is checked
#      in a real browser), pngcheck and python3-pil (independent PNG decoders), python3-distributed (Dask runs
#      the shards of `latent score --shard`), python3-onnx (the ONNX checker);
#   2. runs `dotnet test` in Release;
#   3. ends with one line "N passed, N failed" (xunit's own summary has another form).
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pngcheck >/dev/null 2>&1 || need+=(pngcheck)
/usr/bin/python3 -c "import PIL" >/dev/null 2>&1 || need+=(python3-pil)   # the tests call Debian's interpreter
/usr/bin/python3 -c "import distributed" >/dev/null 2>&1 || need+=(python3-distributed)   # latent score --shard driven by Dask
/usr/bin/python3 -c "import onnx" >/dev/null 2>&1 || need+=(python3-onnx)   # the ONNX checker (scripts/onnx-check.sh)
if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]} with apt-get" >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"; } >/tmp/latent-apt.log 2>&1 \
    || echo "test.sh: apt-get could not install ${need[*]} (see /tmp/latent-apt.log); the tests that need them will fail and say so" >&2
fi

log=$(mktemp)
dotnet test Latent.slnx -c Release 2>&1 | tee "$log" | grep -vE "^(Test run for|A total of|Build succeeded|\s*$)" || true
status=${PIPESTATUS[0]}
passed=0; failed=0
while read -r line; do
  p=$(sed -n 's/.*Passed: *\([0-9]*\).*/\1/p' <<<"$line"); f=$(sed -n 's/.*Failed: *\([0-9]*\).*/\1/p' <<<"$line")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done < <(grep -E "(Passed|Failed)! +- +Failed: " "$log")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "test.sh: dotnet test exited with $status before running every test (build error?); last lines:" >&2
  tail -20 "$log" >&2
  failed=1
fi
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
