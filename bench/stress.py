"""Stress: huge and awkward inputs at full size, with peak memory and time.

Cases (each ingested into a fresh store by a fresh child process, one annotation
process unless said, so the child's peak RSS is the whole cost; with more, the
child samples the RSS and CPU seconds of itself and its worker processes every
50 ms: ``all procs MB`` is the peak of their sum, ``CPU s`` all their CPU time):

* ``oneline10MB``: a text file just under ``max_document_bytes`` (10 MB) that is
  one line (real sentences from ../shared/seeds, repeated, joined by spaces): the
  largest document ingest takes. Target: peak RSS under 1 GB.
* ``para1m``: a 1 MB article that is one paragraph, at one annotator and at the
  default (every core: what ``storyline ingest`` uses), its pieces spread over
  the worker processes. Target (issue 20): under 30 s and 1 GB (all processes)
  on 2 cores at the default.
* ``ladder``: one-paragraph articles of 125, 250 and 500 kB: time per MB should
  stay flat (linear time), and peak RSS should not grow with the size.

Reference in the same run: the child also times spaCy alone (the base pipeline,
``nlp.pipe`` over the same text cut in the same pieces) on the ``para1m`` text
and reports storyline's annotation time (one annotator) as a ratio to it.

    .venv/bin/python bench/stress.py            # every case (about 5 minutes on 2 cores)
    .venv/bin/python bench/stress.py --quick    # 5 MB and 250 kB instead (under a minute)
    .venv/bin/python bench/stress.py --bombs    # the hostile inputs of issue 22, peak RSS of each ingest
    .venv/bin/python bench/stress.py --only para1m [--workers N] [--reference]   # the 1 MB paragraph only

Bombs (``--bombs``): each input goes through ``storyline ingest --workers 1`` in a fresh
process (so annotation runs in it, no worker), and the peak RSS of that process (with
``resource.getrusage(RUSAGE_CHILDREN)`` in a wrapper process of its own) is the figure; target
under 1 GB each. Inputs are written a block at a time, never held whole by the bench:

* ``warc_cenc_400MB``: a WARC record with ``Content-Encoding: gzip`` inflating to 400 MB
  (about 400 KB on disk), between two ordinary pages.
* ``warc_cenc_words_160MB``: the same with 160 MB of real sentences.
* ``warcgz_300MB``: a ``.warc.gz`` whose middle record holds 300 MB (about 300 KB on disk).
* ``stdin_1.2GB``: 1.2 GB piped into ``ingest -``.
* ``oneline_50MB``: a 50 MB one-line text file (over ``max_document_bytes``).
* ``gz_199MB``: a ``.txt.gz`` of about 200 KB inflating to 199 MB (under ``max_file_bytes``).
* ``html_10MB``: an HTML page of real sentences just under ``max_document_bytes`` (10 MB): the
  largest page ingest takes (its first ``max_annotate_chars`` characters are annotated).
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def _sentences() -> str:
    """One line of real article sentences (the seeds), or a stand-in when they are absent."""
    if SEEDS.is_dir():
        text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    else:
        text = "The port authority said on Monday that the strike had cost 4 million euros a day. " * 50
    return re.sub(r"\s+", " ", text).strip()


def make_file(path: Path, size: int) -> Path:
    """A one-line (one-paragraph) text file of ``size`` bytes."""
    unit = _sentences().encode("utf-8")
    with open(path, "wb") as fp:
        written = 0
        while written < size:
            piece = unit[: size - written]
            fp.write(piece)
            written += len(piece)
            if written < size:
                fp.write(b" ")
                written += 1
    # a cut in the middle of a UTF-8 sequence would be an invalid byte: end on a clean character
    data = path.read_bytes().decode("utf-8", "ignore").encode("utf-8")
    path.write_bytes(data)
    return path


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Tree:
    """Samples this process and every process below it (annotation workers) every 50 ms from
    /proc: the peak of their summed RSS (shared pages counted in each, so an upper bound) and
    their CPU seconds (user + system, the last value seen of each process)."""

    def __init__(self) -> None:
        import os
        import threading

        self.pid = os.getpid()
        self.peak_kb = 0
        self.cpu: dict[int, float] = {}
        self.tick = os.sysconf("SC_CLK_TCK")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _pids(self) -> list[int]:
        out, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                try:
                    todo.extend(int(c) for c in task.read_text().split())
                except OSError:
                    pass
        return out

    def sample(self) -> None:
        total = 0
        for pid in self._pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += next((int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmRSS:")), 0)
            self.cpu[pid] = (int(stat[11]) + int(stat[12])) / self.tick
        self.peak_kb = max(self.peak_kb, total)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.sample()

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        self.sample()
        return {"peak_rss_all_mb": round(self.peak_kb / 1024), "cpu_s_all": round(sum(self.cpu.values()), 1),
                "processes": len(self.cpu), "cpu_s_each": [round(self.cpu[p], 1) for p in sorted(self.cpu)]}


def run_case(path: Path, db: Path, reference: bool, workers: int = 1) -> dict:
    """In the child: ``path`` ingested into ``db`` by ``local.ingest`` (read and store, annotate on
    ``workers`` annotators, resolve: what ``storyline ingest --workers N`` runs), with each stage's
    wall seconds, the peak RSS of this process and of all its processes, and their CPU seconds."""
    from storyline.config import Settings
    from storyline.kb import open_store
    from storyline.run import local

    settings = Settings()
    out: dict = {"bytes": path.stat().st_size, "workers": workers}
    tree = Tree()
    with open_store(db, settings) as store:
        report = local.ingest([str(path)], store, settings, workers=workers)
        if report.failed:
            out["failed"] = [f"[{f.code}] {f.reason}" for f in report.failed]
        out["read_store_s"] = round(report.stages["read"], 2)
        out["annotated"] = report.annotated
        out["annotate_s"] = round(report.stages["annotate"], 2)
        out["resolve_s"] = round(report.stages["resolve"], 2)
        out["entities"] = store.stats()["entities"]
        rows = store.document_rows()
        out["repairs"] = [r for row in rows for r in row.get("repairs", ())]
    out["total_s"] = round(report.seconds, 2)
    out.update(tree.stop())
    with open(path, encoding="utf-8", errors="replace") as fp:  # the characters read, a block at a time
        chars = sum(len(block) for block in iter(lambda: fp.read(1 << 20), ""))
    out["annotated_chars"] = min(chars, settings.max_annotate_chars)
    if out["annotated_chars"]:
        out["annotate_s_per_100k_chars"] = round(out["annotate_s"] / out["annotated_chars"] * 100_000, 2)
    if reference:
        out.update(_spacy_alone(path, settings, out["annotate_s"]))
    out["peak_rss_mb"] = round(_rss_mb())
    return out


def _spacy_alone(path: Path, settings, ours: float) -> dict:
    """spaCy's base pipeline alone over the same chunks (the same-run reference)."""
    from storyline.nlp import piece_bounds
    from storyline.nlp.build import load_base

    text = path.read_text(encoding="utf-8")
    base = load_base(settings)
    pieces = [text[s:e] for s, e in piece_bounds(text, settings)]
    t = time.perf_counter()
    for _ in base.pipe(pieces, batch_size=1):
        pass
    alone = time.perf_counter() - t
    return {"spacy_alone_s": round(alone, 2), "ratio_to_spacy": round(ours / alone, 2) if alone else None}


def _child(case: str, path: Path, reference: bool, workers: int = 1) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(path), "--db", str(Path(tmp) / "kb.db"), "--workers", str(workers)]
            + (["--reference"] if reference else []),
            capture_output=True, text=True,
        )
    if proc.returncode != 0:
        return {"case": case, "error": proc.stderr[-2000:]}
    return {"case": case, **json.loads(proc.stdout.strip().splitlines()[-1])}


def _default_workers() -> int:
    from storyline.run.pool import default_workers

    return default_workers()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller sizes (5 MB one line, 250 kB paragraph)")
    ap.add_argument("--only", choices=["para1m"], help="only this case: the 1 MB paragraph at one worker and at "
                    "the default workers (with --workers N: at N only)")
    ap.add_argument("--workers", type=int, help="with --only: annotators for the case (default: 1 and every core)")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--reference", action="store_true", help="with --only: time spaCy alone on the text too")
    ap.add_argument("--bombs", action="store_true", help="the hostile inputs of issue 22 (peak RSS of each ingest)")
    ap.add_argument("--measure", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_case(args.child, args.db, args.reference, args.workers or 1)))
        return
    if args.bombs:
        bombs(args.quick)
        return
    if args.measure:
        print(json.dumps(_measure(args.measure)))
        return
    big, para = (5_000_000, 250_000) if args.quick else (9_900_000, 1_000_000)
    ladder = (62_500, 125_000) if args.quick else (125_000, 250_000, 500_000)
    every = _default_workers()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)

        def case(name: str, path: Path, reference: bool = False, workers: int = 1) -> None:
            rows.append(_child(name, path, reference, workers))
            print(json.dumps(rows[-1]), flush=True)

        if args.only:
            path = make_file(tmpdir / "para.txt", para)
            for n in [args.workers] if args.workers else sorted({1, every}):
                case(f"para{para // 1000}kB", path, args.reference and n == 1, n)
        else:
            case(f"oneline{round(big / 1e6)}MB", make_file(tmpdir / "oneline.txt", big))
            path = make_file(tmpdir / "para.txt", para)
            case(f"para{para // 1000}kB", path, True)
            if every > 1:
                case(f"para{para // 1000}kB", path, False, every)
            for size in ladder:
                case(f"para{size // 1000}kB", make_file(tmpdir / f"p{size}.txt", size))
    _table(rows)


def _table(rows: list[dict]) -> None:
    print()
    print(f"{'case':<14}{'MB':>6}{'workers':>8}{'read+store s':>13}{'annotate s':>11}{'resolve s':>10}{'total s':>9}"
          f"{'CPU s':>8}{'peak RSS MB':>12}{'all procs MB':>13}")
    for r in rows:
        if "error" in r:
            print(f"{r['case']:<14} ERROR {r['error'][-300:]}")
            continue
        print(f"{r['case']:<14}{r['bytes'] / 1e6:>6.2f}{r['workers']:>8}{r['read_store_s']:>13}{r['annotate_s']:>11}"
              f"{r['resolve_s']:>10}{r['total_s']:>9}{r['cpu_s_all']:>8}{r['peak_rss_mb']:>12}{r['peak_rss_all_mb']:>13}")
    first = rows[0]
    if first["case"].startswith("oneline") and "peak_rss_mb" in first:
        verdict = "PASS" if first["peak_rss_mb"] < 1024 else "FAIL"
        print(f"\n{first['case']}: peak RSS {first['peak_rss_mb']} MB (target < 1024 MB): {verdict}")
    for r in rows:
        if r["case"] == "para1000kB" and r.get("workers", 1) > 1 and "total_s" in r:
            ok = r["total_s"] < 30 and r["peak_rss_all_mb"] < 1024
            print(f"para1000kB at {r['workers']} workers: {r['total_s']} s, all processes' peak {r['peak_rss_all_mb']} MB "
                  f"(target < 30 s and < 1024 MB): {'PASS' if ok else 'FAIL'}")
    per = [r["annotate_s_per_100k_chars"] for r in rows
           if r.get("workers") == 1 and r["case"].startswith("para") and "annotate_s_per_100k_chars" in r]
    if len(per) > 1:
        print(f"annotation seconds per 100k characters across sizes (one worker): {per} (flat = linear time)")
    for ref in rows:
        if "ratio_to_spacy" in ref:
            print(f"{ref['case']}: storyline annotation {ref['annotate_s']} s vs spaCy alone {ref['spacy_alone_s']} s "
                  f"(ratio {ref['ratio_to_spacy']})")


# ------------------------------------------------------------------ bombs (issue 22)

_HTML_HEAD = b"<html><head><title>Flood</title></head><body><p>"


def _page(n: int) -> bytes:
    body = _sentences()[2000 * n: 2000 * (n + 1)]
    return f"<html><head><title>Report {n}</title></head><body><article><h1>Report {n}</h1><p>{body}</p>" \
           f"</article></body></html>".encode()


def _blocks(size: int, words: bool) -> Iterator[bytes]:
    """``size`` bytes of HTML, a MiB at a time: one repeated word, or real sentences."""
    unit = (_sentences() + " ").encode() if words else b"flood "
    block = (unit * ((1 << 20) // len(unit) + 1))[: 1 << 20]
    yield _HTML_HEAD
    left = size - len(_HTML_HEAD)
    while left > 0:
        yield block[:left]
        left -= len(block)


def _warc_head(uri: str, length: int) -> bytes:
    return (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-03-10T08:00:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:{abs(hash(uri)):032x}>\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()


def _http_head(encoded: bool) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n" + \
        (b"Content-Encoding: gzip\r\n" if encoded else b"") + b"\r\n"


def _deflated(blocks: Iterable[bytes]) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    return b"".join([comp.compress(b) for b in blocks] + [comp.flush()])


def warc_cenc(path: Path, size: int, words: bool) -> Path:
    """A WARC: a page, a record with ``Content-Encoding: gzip`` inflating to ``size``, a page."""
    bomb = _deflated(_blocks(size, words))
    with open(path, "wb") as fp:
        for n, (uri, body, enc) in enumerate([("http://news.example/1", _page(1), False),
                                               ("http://news.example/bomb", bomb, True),
                                               ("http://news.example/3", _page(3), False)]):
            block = _http_head(enc) + body
            fp.write(_warc_head(uri, len(block)) + block + b"\r\n\r\n")
    return path


def warc_gz(path: Path, size: int) -> Path:
    """A .warc.gz (one gzip member per record) whose middle record holds ``size`` bytes."""
    with open(path, "wb") as fp:
        for uri, blocks in [("http://news.example/1", [_page(1)]), ("http://news.example/big", _blocks(size, False)),
                            ("http://news.example/3", [_page(3)])]:
            length = len(_http_head(False)) + (size if uri.endswith("big") else len(_page(1 if uri.endswith("1") else 3)))
            fp.write(_deflated(itertools.chain([_warc_head(uri, length), _http_head(False)], blocks, [b"\r\n\r\n"])))
    return path


def gz_text(path: Path, size: int) -> Path:
    unit = (_sentences() + " ").encode()
    block = (unit * ((1 << 20) // len(unit) + 1))[: 1 << 20]
    blocks = (block[: min(len(block), size - i)] for i in range(0, size, len(block)))
    path.write_bytes(_deflated(blocks))
    return path


def html_page(path: Path, size: int) -> Path:
    with open(path, "wb") as fp:
        for b in _blocks(size - 20, True):
            fp.write(b)
        fp.write(b"</p></body></html>")
    return path


def _measure(cmd: list[str]) -> dict:
    """In a wrapper process: run ``cmd`` (a shell line), its peak RSS (the largest process it waited for)."""
    t = time.perf_counter()
    proc = subprocess.run(cmd[0], shell=True, capture_output=True, text=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"rc": proc.returncode, "peak_rss_mb": round(peak), "seconds": round(time.perf_counter() - t, 1),
            "stdout": proc.stdout.strip()[-300:], "stderr": proc.stderr.strip()[-600:]}


def _ingest_peak(source: str, db: Path) -> dict:
    ingest = f"{shlex.quote(sys.executable)} -m storyline.cli ingest {source} --db {shlex.quote(str(db))} --workers 1"
    if source == "-":
        ingest = "yes 'The port said on Monday that the strike had ended.' | head -c 1200000000 | " + ingest
    proc = subprocess.run([sys.executable, __file__, "--measure", ingest], capture_output=True, text=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bombs(quick: bool = False) -> None:
    scale = 10 if quick else 1
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        cases = [
            ("warc_cenc_400MB", lambda: warc_cenc(d / "bomb.warc", 400_000_000 // scale, False)),
            ("warc_cenc_words_160MB", lambda: warc_cenc(d / "words.warc", 160_000_000 // scale, True)),
            ("warcgz_300MB", lambda: warc_gz(d / "big.warc.gz", 300_000_000 // scale)),
            ("stdin_1.2GB", lambda: "-"),
            ("oneline_50MB", lambda: make_file(d / "oneline.txt", 50_000_000 // scale)),
            ("gz_199MB", lambda: gz_text(d / "flood.txt.gz", 199_000_000 // scale)),
            ("html_10MB", lambda: html_page(d / "page.html", 9_900_000 // scale)),
        ]
        for name, make in cases:
            src = make()
            size = "-" if src == "-" else f"{Path(src).stat().st_size / 1e3:.0f} kB"
            r = {"case": name, "input": size, **_ingest_peak(shlex.quote(str(src)), d / f"{name}.db")}
            rows.append(r)
            print(json.dumps(r), flush=True)
            if src != "-":
                Path(src).unlink()
    print()
    print(f"{'case':<24}{'on disk':>10}{'exit':>6}{'seconds':>9}{'peak RSS MB':>13}  outcome")
    for r in rows:
        said = (r["stderr"].splitlines() or [""])
        failed = [ln for ln in said if ln.startswith("failed:")]
        outcome = "; ".join(ln.split(": ", 2)[-1][:90] for ln in failed) or r["stdout"][:90]
        print(f"{r['case']:<24}{r['input']:>10}{r['rc']:>6}{r['seconds']:>9}{r['peak_rss_mb']:>13}  {outcome}")
    worst = max(r["peak_rss_mb"] for r in rows)
    print(f"\nlargest peak {worst} MB (target < 1024 MB): {'PASS' if worst < 1024 else 'FAIL'}")


if __name__ == "__main__":
    main()
