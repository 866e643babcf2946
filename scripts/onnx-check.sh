#!/usr/bin/env bash
# Checks ONNX files with the official ONNX checker (Debian's python3-onnx, `apt-get install -y python3-onnx`):
# onnx.checker.check_model(full_check=True), which also runs strict shape inference over the whole graph.
# Usage: scripts/onnx-check.sh FILE.onnx...   Prints one "FILE: ok ..." line per file; exit 1 on the first bad file,
# exit 2 when python3-onnx is missing or no file is given.
set -uo pipefail
if [ $# -lt 1 ]; then echo "usage: scripts/onnx-check.sh FILE.onnx..." >&2; exit 2; fi
if ! /usr/bin/python3 -c "import onnx" >/dev/null 2>&1; then
  echo "onnx-check.sh: python3-onnx is not installed (apt-get install -y python3-onnx)" >&2; exit 2
fi
/usr/bin/python3 - "$@" <<'PY'
import sys
import onnx

for path in sys.argv[1:]:
    try:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
    except Exception as e:  # the checker's own exception types differ between onnx versions
        print(f"{path}: REJECTED by onnx {onnx.__version__}: {e}", file=sys.stderr)
        sys.exit(1)
    opset = ", ".join(f"{o.domain or 'ai.onnx'} {o.version}" for o in model.opset_import)
    outputs = ", ".join(o.name for o in model.graph.output)
    print(f"{path}: ok (onnx {onnx.__version__} checker, ir {model.ir_version}, opset {opset}, outputs {outputs})")
PY
