"""Sharded `latent score` on a Dask distributed cluster (docs/SCALE-OUT.md; tested by
tests/Latent.Tests/Cli/Scoring/ShardDaskTests.cs): one task per shard, each running
    latent score SCORE-ARGS --shard i/N --output OUT.shard-i.csv
on a worker, then the shard files concatenated in shard order into OUT (the first shard's CSV header kept, the others'
dropped), which equals the single run's `latent score SCORE-ARGS --output OUT` byte for byte.
Local cluster (worker processes on this machine):
    /usr/bin/python3 scripts/shard_dask.py --latent latent --shards 8 --workers 2 --out scores.csv -- \
        --model-file m.safetensors --input images/ --batch-size 256
A multi-machine cluster: start `dask scheduler` and `dask worker tcp://HOST:8786` on each machine (every worker sees
the model, the input and the output folder on shared storage), then add --scheduler tcp://HOST:8786.
Needs Debian's python3-distributed (apt-get install -y python3-distributed)."""
import argparse, os, subprocess, sys, time

def run_shard(latent, args, i, n, out):
    """One task: shard i of n to its own file; returns (i, path, seconds, the summary line)."""
    path = f"{out}.shard-{i}.csv"
    t = time.perf_counter()
    r = subprocess.run([latent, "score", *args, "--shard", f"{i}/{n}", "--output", path], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"shard {i}/{n} failed (exit {r.returncode}): {r.stderr.strip()}")
    return i, path, time.perf_counter() - t, r.stdout.strip()

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--latent", required=True, help="the latent executable (on every worker)")
    ap.add_argument("--shards", type=int, required=True)
    ap.add_argument("--workers", type=int, default=2, help="worker processes of the local cluster")
    ap.add_argument("--scheduler", help="address of a running Dask scheduler (instead of a local cluster)")
    ap.add_argument("--out", required=True, help="the concatenated CSV")
    ap.add_argument("score", nargs=argparse.REMAINDER, help="-- then the arguments of latent score")
    a = ap.parse_args()
    score = a.score[1:] if a.score[:1] == ["--"] else a.score
    from distributed import Client, LocalCluster
    cluster = None
    if a.scheduler:
        client = Client(a.scheduler)
    else:
        cluster = LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        latent = os.path.abspath(a.latent) if os.path.exists(a.latent) else a.latent
        out = os.path.abspath(a.out)
        futures = [client.submit(run_shard, latent, score, i, a.shards, out, pure=False) for i in range(a.shards)]
        results = sorted(client.gather(futures))
        workers = len(client.scheduler_info()["workers"])
        tmp = out + ".tmp"
        with open(tmp, "wb") as dst:
            for i, path, _, _ in results:
                with open(path, "rb") as src:
                    if i > 0:
                        src.readline()          # each shard's CSV header; the first shard's is kept
                    dst.write(src.read())
                os.remove(path)
        os.replace(tmp, out)
        for i, _, seconds, summary in results:
            print(f"shard {i}/{a.shards}: {seconds:.1f} s: {summary}")
        print(f"{a.shards} shards on {workers} worker processes -> {out}")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

if __name__ == "__main__":
    main()
