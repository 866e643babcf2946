#!/usr/bin/env python3
"""Compares the tensors of two safetensors checkpoints bit for bit, ignoring their metadata.

Usage: scripts/compare_checkpoints.py A.safetensors B.safetensors

Prints one line per tensor name (its sha256 in each file) and a verdict. Tensors present under the same name are
compared by their bytes; tensors whose names differ between the two files (an older build named the optimiser state
by position, the current one by phase and parameter name) are matched by their bytes: each unmatched tensor of A must
have a byte-identical tensor of the same shape among the unmatched tensors of B. Exit 0 when every tensor of each file
is matched by an identical tensor of the other, 1 otherwise, 2 on bad usage.
"""
import hashlib
import json
import struct
import sys


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, t in header.items():
        lo, hi = t["data_offsets"]
        tensors[name] = (t["dtype"], tuple(t["shape"]), hashlib.sha256(body[lo:hi]).hexdigest())
    return meta, tensors


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    (meta_a, a), (meta_b, b) = read(sys.argv[1]), read(sys.argv[2])
    print(f"# A {sys.argv[1]}: {len(a)} tensors, model_type {meta_a.get('model_type', '-')}")
    print(f"# B {sys.argv[2]}: {len(b)} tensors, model_type {meta_b.get('model_type', '-')}")
    same = [k for k in sorted(a) if k in b]
    differ = [k for k in same if a[k] != b[k]]
    for k in same:
        print(f"{'same' if a[k] == b[k] else 'DIFF'}  {k}  {a[k][1]}  {a[k][2][:16]}  {b[k][2][:16]}")
    only_a = {k: v for k, v in a.items() if k not in b}
    only_b = {k: v for k, v in b.items() if k not in a}
    pool = {}
    for k, v in only_b.items():
        pool.setdefault(v, []).append(k)
    unmatched = []
    for k, v in sorted(only_a.items()):
        if pool.get(v):
            print(f"same  {k} (A) = {pool[v].pop(0)} (B)  {v[1]}  {v[2][:16]}")
        else:
            unmatched.append(k)
    left_b = [k for ks in pool.values() for k in ks]
    for k in unmatched:
        print(f"ONLY-A  {k}  {a[k][1]}  {a[k][2][:16]}")
    for k in sorted(left_b):
        print(f"ONLY-B  {k}  {b[k][1]}  {b[k][2][:16]}")
    ok = not differ and not unmatched and not left_b
    print(f"# verdict: {'bit-identical tensors' if ok else 'DIFFERENT'}: {len(same) - len(differ)} of {len(same)} same-named tensors equal, "
          f"{len(only_a) - len(unmatched)} of {len(only_a)} renamed tensors matched by bytes, {len(left_b)} of B unmatched")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
