#!/usr/bin/env bash
# Runs Latent's fuzz campaigns (tests/Latent.Tests/Fuzz, issue 12) for minutes instead of the suite's few seconds:
# the same harness and corpus as `dotnet test --filter Category=Fuzz`, with a random seed (printed, so a run can be
# replayed with --seed), an unbounded iteration budget cut by a wall-clock budget per target, and more effort spent
# minimising each finding. Crashing inputs (minimised, original, and a description with the stack trace) are saved
# under --out/<target>/. Exits 1 when any campaign has a finding, 2 on a usage or build error.
#
#   scripts/fuzz.sh                          all eight targets, 2 minutes each, random seed
#   scripts/fuzz.sh --minutes 10 --target png --seed 1234 --out /tmp/findings
#   scripts/fuzz.sh --make-corpus            regenerate tests/Latent.Tests/Fixtures/Fuzz (then commit it)
set -uo pipefail
cd "$(dirname "$0")/.."

minutes=2
seed=""
out="$PWD/tests/Latent.Tests/bin/fuzz-findings"   # bin/ is not committed
targets=(idx png images csv parquet checkpoint autoencoder imagefolder judge)
make_corpus=0
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --out) out="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    --target) targets=("$2"); shift 2 ;;
    --make-corpus) make_corpus=1; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fuzz.sh: unknown argument '$1' (see scripts/fuzz.sh --help)" >&2; exit 2 ;;
  esac
done
case "$minutes" in ''|*[!0-9.]*) echo "fuzz.sh: --minutes $minutes is not a number" >&2; exit 2 ;; esac
[ -z "$seed" ] && seed=$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')
case "$seed" in ''|*[!0-9]*) echo "fuzz.sh: --seed $seed is not a non-negative integer" >&2; exit 2 ;; esac

dotnet build tests/Latent.Tests/Latent.Tests.csproj -c Release -v quiet -nologo >/tmp/latent-fuzz-build.log 2>&1 \
  || { echo "fuzz.sh: build failed (see /tmp/latent-fuzz-build.log)" >&2; exit 2; }

if [ "$make_corpus" -eq 1 ]; then
  LATENT_FUZZ_WRITE_CORPUS="$PWD/tests/Latent.Tests/Fixtures/Fuzz" \
    dotnet test tests/Latent.Tests/Latent.Tests.csproj -c Release --no-build --filter "FullyQualifiedName~Latent.Tests.Fuzz.FuzzCorpusTests" \
    | grep -E "Passed!|Failed!|error" ; status=${PIPESTATUS[0]}
  echo "fuzz.sh: corpus written to tests/Latent.Tests/Fixtures/Fuzz (rebuild before running the tests on it)"
  exit "$status"
fi

declare -A test_of=([idx]=IdxReaderGivesOnlyCleanErrors [png]=PngDecoderGivesOnlyCleanErrors [images]=ImageDecodersGiveOnlyCleanErrors [csv]=CsvReaderGivesOnlyCleanErrors
                    [checkpoint]=CheckpointReaderGivesOnlyCleanErrors [autoencoder]=AutoencoderFileLoadGivesOnlyCleanErrors
                    [imagefolder]=ImageFolderReaderGivesOnlyCleanErrors [judge]=JudgeFileLoadGivesOnlyCleanErrors [parquet]=ParquetReaderGivesOnlyCleanErrors)
seconds=$(awk "BEGIN { print int($minutes * 60) }")
echo "fuzz.sh: seed $seed, ${minutes} min per target (${targets[*]}), findings in $out"
failed=()
for t in "${targets[@]}"; do
  name=${test_of[$t]:-}
  [ -z "$name" ] && { echo "fuzz.sh: unknown target '$t'; use idx, png, images, csv, parquet, checkpoint, autoencoder, imagefolder or judge" >&2; exit 2; }
  log=$(mktemp)
  LATENT_FUZZ_SEED="$seed" LATENT_FUZZ_ITERATIONS=2000000000 LATENT_FUZZ_SECONDS="$seconds" LATENT_FUZZ_OUT="$out" LATENT_FUZZ_MINIMIZE=3000 \
    dotnet test tests/Latent.Tests/Latent.Tests.csproj -c Release --no-build \
      --filter "FullyQualifiedName=Latent.Tests.Fuzz.FuzzTests.$name" --logger "console;verbosity=detailed" >"$log" 2>&1
  status=$?
  # The report: the campaign's summary line and notes, then each finding's description (its reproducer is a file).
  summary=$(grep -m1 -n "^ *fuzz $t: seed" "$log" | cut -d: -f1)
  if [ -n "$summary" ]; then
    tail -n +"$summary" "$log" | awk 'NR == 1 || /^ *note:/ { sub(/^ +/, ""); print; next } { exit }'
    for f in "$out/$t"/*.txt; do
      [ -e "$f" ] && sed -n '1,/minimal reproducer/p' "$f" | grep -v "minimal reproducer"
    done
  fi
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    [ -z "$summary" ] && tail -30 "$log"
  fi
  rm -f "$log"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: findings (or a harness failure) in: ${failed[*]}; reproducers under $out; replay with --seed $seed"
  exit 1
fi
echo "fuzz.sh: no findings (seed $seed)"
