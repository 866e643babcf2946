# Sourced by the scripts/bench-*.sh: one way to find the peers and the data, and to check the peers' packages; prints
# the log's first line, the commit and .NET SDK the figures come from (scripts/provenance.sh).
#   PEERS_DIR  the reference implementations (default: ../shared/peers beside the repository)
#   MNIST_DIR  the MNIST IDX files the peers read (default: Latent's own cache, fetched on first use)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/provenance.sh"
provenance "scripts/$(basename "$0") $*"
export PEERS_DIR="${PEERS_DIR:-$root/../shared/peers}"
if [ ! -f "$PEERS_DIR/mnist_io.py" ]; then
  echo "peer scripts not found in $PEERS_DIR; set PEERS_DIR to the folder holding shared/peers" >&2; exit 1
fi
if [ -z "${MNIST_DIR:-}" ]; then
  cache="${LATENT_DATA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/latent}"
  [ -f "$cache/mnist/train-images-idx3-ubyte" ] || dotnet run -c Release --project "$root/src/Latent.Cli" -- data fetch mnist >&2
  export MNIST_DIR="$cache/mnist"
fi
if ! /usr/bin/python3 -c "import numpy, scipy, sklearn, torch, threadpoolctl" 2>/dev/null; then
  echo "the peers need Debian's packages: apt-get install python3-torch python3-sklearn python3-numpy python3-scipy python3-threadpoolctl libopenblas0-pthread" >&2
  exit 1
fi
