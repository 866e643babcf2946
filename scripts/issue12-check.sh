#!/usr/bin/env bash
# Issue 12 reproduced against the built CLI (src/Latent.Cli/bin/Release/net10.0/latent.dll; build first): each case of
# the issue that the command line can show in seconds is run as written there, and its command, exit code, time and
# stderr are printed (docs/ISSUE-12-AUDIT.md quotes them). The bombs under a 1 GB heap and the kill -9 loops have their
# own runs (tests/Latent.Tests/Reliability: HeapLimitBombTests, KillLoopTests; scripts/kill-loop.sh).
#   scripts/issue12-check.sh > results/reliability/2026-12-06-cli-cases.txt
set -uo pipefail
cd "$(dirname "$0")/.."
dll="$PWD/src/Latent.Cli/bin/Release/net10.0/latent.dll"
[ -f "$dll" ] || { echo "issue12-check.sh: build first: dotnet build Latent.slnx -c Release" >&2; exit 2; }
subset="$PWD/tests/Latent.Tests/Fixtures/Data/mnist-subset"
work=$(mktemp -d /tmp/latent-issue12.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
echo "issue12-check.sh: commit $(git -C "$OLDPWD" rev-parse --short HEAD), $(date -u +%FT%TZ), as uid $(id -u)"

run() {   # run TITLE -- ARGS...: the command, its exit code, its time and its output (stdout first, trimmed)
  local title=$1; shift 2
  local start end out err code
  start=$(date +%s.%N)
  out=$(dotnet "$dll" "$@" 2>"$work/err"); code=$?
  end=$(date +%s.%N)
  err=$(cat "$work/err")
  printf '\n## %s\n$ latent %s\nexit %d in %.2f s\n' "$title" "$*" "$code" "$(echo "$end - $start" | bc)"
  [ -n "$out" ] && printf '%s\n' "$out" | head -4 | sed 's/^/  out: /'
  [ -n "$err" ] && printf '%s\n' "$err" | tail -3 | sed 's/^/  err: /'
  return 0
}
train=(train --model vae --arch dense --latent 2 --dataset "$subset" --class 3)

# 1. --out a device: refused, the device untouched, no grid beside it
ls -l /dev/null > before.txt
run "1. --out /dev/null (as root)" -- "${train[@]}" --epochs 1 --out /dev/null
ls -l /dev/null > after.txt
echo "  /dev/null still a character device: $(stat -c %F /dev/null); grids in /dev: $(ls /dev | grep -c 'null\.' || true)"

# 2. divergence: the kept checkpoint is finite and scores; resume diverges again rather than load NaN
run "2. --lr 1000 diverges" -- "${train[@]}" --epochs 3 --lr 1000 --out diverged.safetensors
[ -f diverged.safetensors ] && run "2. score the kept checkpoint" -- score --model-file diverged.safetensors --input "$subset:5" --score recon

# 3. two runs on one --out: the second is refused while the first holds the lock
dotnet "$dll" "${train[@]}" --epochs 30 --out shared.safetensors >/dev/null 2>&1 &
first=$!
sleep 6
run "3. a second run on the same --out" -- "${train[@]}" --epochs 1 --force --out shared.safetensors
kill "$first" 2>/dev/null; wait "$first" 2>/dev/null

# 4. litter: a stale temporary of a dead process is removed by the next save
echo stale > "litter.safetensors.tmp-999999"
run "4. a stale *.tmp-999999 beside --out" -- "${train[@]}" --epochs 1 --out litter.safetensors
echo "  left: $(ls | grep litter | tr '\n' ' ')"

# 5. --out checked before training
mkdir -p afolder
run "5. --out in a missing folder" -- "${train[@]}" --epochs 1 --out missing/x.safetensors
run "5. --out a folder" -- "${train[@]}" --epochs 1 --out afolder
# /proc refuses new files even to root (for whom a chmod 555 folder is still writable)
run "5. --out in an unwritable folder" -- "${train[@]}" --epochs 1 --out /proc/latent-issue12.safetensors

# 6. --resume with other settings
run "6. --resume --lr 0.5 --batch-size 7 --beta 2" -- "${train[@]}" --epochs 2 --resume --lr 0.5 --batch-size 7 --beta 2 --out litter.safetensors

# 10. a symlink to /dev/zero and a FIFO in an input folder
mkdir zero fifo && cp "$OLDPWD/tests/Latent.Tests/Fixtures/Fuzz/png/gray8.png" zero/a.png && ln -s /dev/zero zero/z.png
mkfifo fifo/f.png
run "10. score a folder with z.png -> /dev/zero" -- score --model-file litter.safetensors --input zero --resize
run "10. score a folder with a FIFO f.png" -- score --model-file litter.safetensors --input fifo --resize

# smaller messages
run "empty --out" -- "${train[@]}" --epochs 1 --out ""
run "empty --report" -- classmodel --model pca --dataset "$subset" --real 3 --fake 5 --report ""
run "empty --data-dir" -- train --model pca --dataset mnist --data-dir "" --out x.safetensors
run "a missing folder as --dataset" -- train --model pca --dataset ./no-such-folder/ --out x.safetensors
printf '\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x63\x60\x60\xe0\x06\x00\xde\xad\xbe\xef\x04\x00\x00\x00' > bad-crc-idx1-ubyte.gz
run "gzip with a bad CRC" -- score --model-file litter.safetensors --input bad-crc-idx1-ubyte.gz
mkdir -p adir.safetensors
run "a folder given as --model-file" -- score --model-file adir.safetensors --input "$subset:5"
for edit in 'epoch=-1' 'epoch=one' 'latent_format_version=99'; do
  key=${edit%%=*}; value=${edit#*=}
  python3 - litter.safetensors "edited-$key.safetensors" "$key" "$value" <<'EOF'
import json, struct, sys
src, dst, key, value = sys.argv[1:]
b = open(src, 'rb').read(); n = struct.unpack('<Q', b[:8])[0]; h = json.loads(b[8:8 + n])
h['__metadata__'][key] = value
hb = json.dumps(h).encode(); hb += b' ' * ((8 - len(hb) % 8) % 8)
open(dst, 'wb').write(struct.pack('<Q', len(hb)) + hb + b[8 + n:])
EOF
  run "checkpoint metadata $edit" -- score --model-file "edited-$key.safetensors" --input "$subset:5"
done
echo
echo "issue12-check.sh: done"
