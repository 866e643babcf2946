#!/usr/bin/env python3
"""Copies a gan or infogan checkpoint with other latent-search settings in its options (the safetensors header's
"options" metadata, GanOptions.Search), so one trained generator can be scored under several searches without
retraining (scripts/gan-search-sweep.sh). The tensors are copied byte for byte; only the header changes.
Usage: python3 scripts/gan_search_options.py IN OUT RESTARTS STEPS LR FEATURE_WEIGHT [PRIOR_WEIGHT]"""
import json
import struct
import sys

if len(sys.argv) not in (7, 8):
    sys.exit(__doc__)
src, dst, restarts, steps, lr, feature = sys.argv[1:7]
prior = float(sys.argv[7]) if len(sys.argv) == 8 else 0.0
with open(src, "rb") as f:
    (n,) = struct.unpack("<Q", f.read(8))
    header = json.loads(f.read(n))
    body = f.read()
meta = header["__metadata__"]
if "options" not in meta:
    sys.exit(f"{src}: no options in the checkpoint's metadata")
options = json.loads(meta["options"])
if "Search" not in options:
    sys.exit(f"{src}: its options have no latent search (a gan or infogan checkpoint is needed)")
options["Search"].update({"Restarts": int(restarts), "Steps": int(steps), "LearningRate": float(lr), "FeatureWeight": float(feature),
                          "PriorWeight": prior})
meta["options"] = json.dumps(options, separators=(",", ":"))
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * (-len(text) % 8)
with open(dst, "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + body)
