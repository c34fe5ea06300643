#!/usr/bin/env bash
# Issue 20's figures on a quiet many-core machine, in one call (see ../shared/device/README.md):
#   bash .dev/on-device.sh bash bench/device.sh
# Writes JSON under $OUT (or ./device-out): end-to-end throughput with 1, 2 and all workers against
# spaCy's n_process on the 772 ECB+ articles (serial seconds per 1,000 articles included), storing
# 20,000 generated near-similar articles, a 1 MB one-line article against spaCy on the same text,
# and adding one article to ~740 real ones against adding it to an empty store.
set -u
cd "$(dirname "$0")/.."
out=${OUT:-device-out}; mkdir -p "$out"
py=${PYTHON:-python3}
step() { echo "== $1 ($(date +%T))"; }

step throughput
$py bench/throughput.py --workers --corpus ecbplus --records 772 --json > "$out/throughput.json" 2> "$out/throughput.err"
tail -c 3000 "$out/throughput.json"

step neardup
$py bench/neardup.py --docs 20000 --json > "$out/neardup.json" 2> "$out/neardup.err"
$py -c "import json,sys; d=json.load(open(sys.argv[1])); d.pop('links', None); print({k: (v if not isinstance(v, dict) else {a: b for a, b in v.items() if a != 'links'}) for k, v in d.items()})" "$out/neardup.json"

step one-line
$py - "$out" <<'PY'
import json, resource, subprocess, sys, tempfile, time
from pathlib import Path
out = Path(sys.argv[1])
texts = [json.loads(l)["text"].replace("\n", " ") for l in open("../shared/realdata/ecbplus.jsonl")]
big = " ".join(texts)
while len(big) < 1_000_000:
    big += " " + big
big = big[:1_000_000].rsplit(" ", 1)[0]
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "one-line.txt"
    path.write_text("A one-line article\n" + big + "\n")
    t0 = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", "import sys; from storyline.cli import main; sys.argv = ['storyline'] + sys.argv[1:]; main()",
                          "ingest", str(path), "--db", str(Path(tmp) / "kb.db"), "--workers", "1", "--json"], capture_output=True, text=True)
    ours = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    from storyline.nlp.build import load_base
    from storyline.config import Settings
    nlp = load_base(Settings())
    nlp.max_length = 2_000_000
    t0 = time.perf_counter()
    nlp(big)
    spacy_s = time.perf_counter() - t0
res = {"chars": len(big), "storyline_seconds": round(ours, 1), "peak_mb": round(peak), "spacy_seconds": round(spacy_s, 1),
       "exit": run.returncode, "report": run.stdout[-800:], "stderr": run.stderr[-800:]}
(out / "one_line.json").write_text(json.dumps(res, indent=2))
print(res)
PY

step add-one
$py bench/throughput.py --add-one --store-docs 740 --json > "$out/add_one.json" 2> "$out/add_one.err"
cat "$out/add_one.json"
step done
