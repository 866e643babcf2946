#!/usr/bin/env bash
# Packs every project under src/ (`dotnet pack -c Release`) into artifacts/packages and checks each package: the
# readme (docs/PACKAGE.md as README.md, named by the nuspec's <readme>), the license expression, and for the five
# libraries the XML documentation beside the assembly (lib/net10.0/<name>.xml). Exit 1 naming what is missing.
# Usage: scripts/pack.sh [output folder (default artifacts/packages)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/artifacts/packages}"
rm -rf "$out"
for project in "$root"/src/*/*.csproj; do
  dotnet pack "$project" -c Release -o "$out" --nologo -v quiet
done
/usr/bin/python3 - "$out" <<'PY'
import re, sys, zipfile, pathlib
out = pathlib.Path(sys.argv[1])
libraries = ["Latent.Tensors", "Latent.Nn", "Latent.Data", "Latent.Models", "Latent.Reporting"]
expected = libraries + ["Latent.Cli"]
found = {re.sub(r"\.\d+\.\d+\.\d+.*$", "", p.name): p for p in out.glob("*.nupkg")}
problems = [f"no package for {name}" for name in expected if name not in found]
for name, path in sorted(found.items()):
    with zipfile.ZipFile(path) as z:
        files = z.namelist()
        nuspec = z.read(next(f for f in files if f.endswith(".nuspec"))).decode()
        if "<readme>README.md</readme>" not in nuspec or "README.md" not in files:
            problems.append(f"{path.name}: no README.md readme")
        elif "ClassModel.Fit" not in z.read("README.md").decode():
            problems.append(f"{path.name}: README.md is not docs/PACKAGE.md")
        if '<license type="expression">' not in nuspec:
            problems.append(f"{path.name}: no license expression")
        if name in libraries:
            for f in (f"lib/net10.0/{name}.dll", f"lib/net10.0/{name}.xml"):
                if f not in files:
                    problems.append(f"{path.name}: no {f}")
        docs = [f for f in files if f.endswith(".xml") and f.startswith("lib/")]
        print(f"{path.name}: {len(files)} files, readme README.md, license {re.search(r'<license[^>]*>([^<]*)<', nuspec).group(1)}, xml docs {', '.join(docs) or '-'}")
if problems:
    print("\n".join("MISSING: " + p for p in problems))
    sys.exit(1)
print(f"ok: {len(found)} packages in {out}")
PY
