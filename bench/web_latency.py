"""Page latency of the web app, per page type, on a 10,000-document store.

    .venv/bin/python bench/web_latency.py [--docs 10000] [--replicate STORE] [--db FILE] [--repeat 5] [--json]

The store is built through the Store API, with no NLP, so it takes seconds or
minutes, not hours: either generated documents (the default; few entities and
events per document) or, with ``--replicate STORE``, whole copies of a real
ingested store (say the 772 ECB+ articles) with new ids, which gives a real
store's shape: about 19 events and 5 entities per document, long stories.
Every page type (home, story, timeline under each filter, entities with filters
and sorts, entity, documents, document, search, conflicts, figures, quotes) is
measured on several instances and on the last page of each paged list (a deep
OFFSET must stay fast too); each path is requested ``--repeat`` times through
FastAPI's TestClient (the whole ASGI stack, no network). Printed per page type:
p50, p95 and worst time, the p95 of the process's CPU time per request (what
a quiet machine would take; wall times grow with other work on the machine),
and the largest page. Target: p95 under 300 ms for
every page type; exit status 1 when one misses it. Times depend on the machine
and its load: compare runs made one after another.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from storyline.kb import codec, open_store
from storyline.model import (
    Claim, Conflict, DocAnnotations, Document, Entity, Event, EventMention, EventReport, Figure, LocalEntity, Mention,
    Participant, Published, Quote, Resolution, Span, Story, Support, TimeExpr, When,
)

TARGET_MS = 300.0  # issue 18: every page under 300 ms at the 95th percentile
OUTLETS = 40  # invented outlet hosts documents are spread over (facets and the source filter need several)
FIRST = ["Ana", "Bram", "Cleo", "Dario", "Eska", "Femi", "Gala", "Hugo", "Ines", "Jory", "Kato", "Lena", "Milo", "Nora",
         "Oren", "Pia", "Quin", "Rhea", "Sami", "Tova"]
LAST = ["Arden", "Bexley", "Corvin", "Dray", "Ellery", "Fenwick", "Garrow", "Hollis", "Ivers", "Jessup", "Kell",
        "Lorne", "Marsh", "Nyland", "Orme"]
PLACES = ["Velland", "Orlund", "Kessport", "Brakvik", "Tessaly", "Meridan", "Ostravia", "Lakeport", "Selan", "Dunmore"]
FILLER = ("Officials said talks would continue next week as both sides weighed the proposal. Analysts expect the "
          "matter to return to parliament before the summer recess, where several committees are reviewing it. ")


def _day(n: int) -> str:
    y, rest = divmod(n, 336)
    m, d = divmod(rest, 28)
    return f"{2020 + y}-{m + 1:02d}-{d + 1:02d}"


def _sp(doc: str, text: str, sub: str, start_at: int = 0) -> Span:
    i = text.index(sub, start_at)
    return Span(doc, i, i + len(sub), sub)


def build(path: Path, ndocs: int, seed: int = 7) -> dict:
    """Write a synthetic store of ``ndocs`` documents to ``path``; returns what it holds."""
    rnd = random.Random(seed)
    people = [f"{first} {last}" for first in FIRST for last in LAST]  # 300 people
    nstories = max(1, ndocs // 50)
    per_story_events = 10
    store = open_store(path)
    ents: dict[str, dict] = {}
    event_reports: dict[int, list[tuple[EventReport, list[str]]]] = {}
    story_docs: dict[int, list[str]] = {}
    figure_of: dict[int, list[Span]] = {}
    t0 = time.perf_counter()
    for i in range(ndocs):
        sid = i % nstories
        ev_no = sid * per_story_events + rnd.randrange(per_story_events)
        a, b = rnd.sample(people[sid % 280 : sid % 280 + 20], 2)
        place = PLACES[sid % len(PLACES)]
        base_day = 40 + (ev_no % 3000)
        shift = 1 if (i % 17 == 0) else 0  # some reports give another date: conflicts
        date = _day(base_day + shift)
        pct = 3 + (ev_no % 5) + (1 if i % 13 == 0 else 0)
        text = (f"Story {sid} report {i}\n\n{a} met {b} on {date} in {place}. "
                f"\u201cWe are close to a deal on item {ev_no},\u201d {b} said. "
                f"{a} said the budget would rise {pct}% next year. " + FILLER * rnd.randint(2, 6))
        doc = hashlib.sha256(text.encode()).hexdigest()[:16]
        store.add_document(Document(doc, text, f"gen/{i}.txt", f"Story {sid} report {i}",
                                    published=Published(When(date, date, date), "metadata"),
                                    url=f"https://www.outlet{i % OUTLETS:02d}.example/{i}"))
        sa = _sp(doc, text, a)
        sb = _sp(doc, text, b)
        sb2 = _sp(doc, text, b, sa.end + 1 + len(b) + 30)
        sa2 = _sp(doc, text, a, sb2.end)
        spl = _sp(doc, text, place)
        sentence = _sp(doc, text, f"{a} met {b} on {date} in {place}.")
        stime = _sp(doc, text, date)
        sq = _sp(doc, text, f"We are close to a deal on item {ev_no},")
        sf = _sp(doc, text, f"{pct}%")
        when = When(date, date, date)
        ann = DocAnnotations(
            doc, Published(when, "metadata"),
            entities=(
                LocalEntity("e1", doc, a, "PERSON", (Mention(sa), Mention(sa2))),
                LocalEntity("e2", doc, b, "PERSON", (Mention(sb), Mention(sb2))),
                LocalEntity("e3", doc, place, "GPE", (Mention(spl),)),
            ),
            times=(TimeExpr(stime, "t1", "DATE", when),),
            quotes=(Quote(sq, "q1", "direct", "e2", sb2, "said"),),
            figures=(Figure(sf, "f1", float(pct), "percent", "budget", speaker="e1"),),
            events=(EventMention(sentence, "v1", "CONSULT", _sp(doc, text, "met"), f"{a} met {b}", "meeting",
                                 (Participant("e1", "actor"), Participant("e2", "with")), "e3", when, "t1"),),
        )
        store.save_annotations(ann)
        for key, name, typ, spans in (("e1", a, "PERSON", (sa, sa2)), ("e2", b, "PERSON", (sb, sb2)),
                                      ("e3", place, "GPE", (spl,))):
            e = ents.setdefault(name, {"type": typ, "mentions": [], "members": []})
            e["mentions"].extend(spans)
            e["members"].append((doc, key))
        event_reports.setdefault(ev_no, []).append((EventReport(sentence, "v1", when), [a, b]))
        story_docs.setdefault(sid, []).append(doc)
        figure_of.setdefault(ev_no, []).append(sf)
    built_docs = time.perf_counter() - t0
    eid = {name: f"ent_{k:05d}" for k, name in enumerate(ents)}
    entities = tuple(Entity(eid[n], n, e["type"], (n.split()[-1],) if e["type"] == "PERSON" else (), (),
                            tuple(e["mentions"]), tuple(e["members"])) for n, e in ents.items())
    entity_of = {m: eid[n] for n, e in ents.items() for m in e["members"]}
    events, conflicts, support = [], [], []
    for ev_no, reps in sorted(event_reports.items()):
        first = reps[0][0]
        a, b = reps[0][1]
        events.append(Event(f"evt_{ev_no:05d}", "CONSULT", f"{a} met {b}",
                            (Participant(eid[a], "actor"), Participant(eid[b], "with")), first.when,
                            tuple(r for r, _ in reps), mode="meeting", sources=len(reps)))
        support.append(Support(f"evt_{ev_no:05d}", "event", tuple(r.span.doc for r, _ in reps), len(reps)))
        dates = {}
        for r, _ in reps:
            dates.setdefault(r.when.value, r)
        if len(dates) > 1:
            (v1, r1), (v2, r2) = list(dates.items())[:2]
            conflicts.append(Conflict(f"cfl_{ev_no:05d}", "date", f"evt_{ev_no:05d}", f"the date of {a} meeting {b}",
                                      (Claim(_claim(store, r1.span, v1), v1), Claim(_claim(store, r2.span, v2), v2))))
    stories = []
    for sid, docs in sorted(story_docs.items()):
        evs = [f"evt_{n:05d}" for n in range(sid * per_story_events, (sid + 1) * per_story_events) if n in event_reports]
        days = [event_reports[int(e[4:])][0][0].when.value for e in evs]
        stories.append(Story(f"sty_{sid:05d}", f"Story {sid}", tuple(docs), tuple(evs), min(days), max(days)))
    store.save_resolution(Resolution(tuple(entities), tuple(events), tuple(stories), tuple(conflicts), tuple(support),
                                     entity_of))
    store.close()
    return {"documents": ndocs, "entities": len(entities), "events": len(events), "stories": len(stories),
            "conflicts": len(conflicts), "build_seconds": round(time.perf_counter() - t0, 1),
            "documents_seconds": round(built_docs, 1)}


def _claim(store, sentence: Span, value: str) -> Span:
    """The date's own span inside the reporting sentence."""
    i = sentence.text.index(value)
    return Span(sentence.doc, sentence.start + i, sentence.start + i + len(value), value)


# ---------------------------------------------------------------- a real store, copied with new ids

_ID = re.compile(r"\b(?:ent_|evt_|sty_|cfl_)?[0-9a-f]{12,16}\b")


def replicate(src_db: Path, path: Path, ndocs: int) -> dict:
    """Write to ``path`` whole copies of the stored real store ``src_db`` (documents, annotations and
    resolution) until it holds at least ``ndocs`` documents. Every copy after the first gets new
    document, entity, event, story and conflict ids (ids inside composite keys too), no LSH keys
    (a copy is not a near-duplicate of its original), and each document an invented outlet URL and
    publication day, so that facets and filters have something to choose among. No NLP runs."""
    import shutil

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:  # a copy: the source is never written (not even migrated)
        shutil.copyfile(src_db, Path(tmp) / "source.db")
        src = open_store(Path(tmp) / "source.db")
        records = src.documents()
        anns = {a.doc: a for a in src.annotations()}
        res = src.resolution()
        src.close()
    known = {r.document.id for r in records} | {x.id for x in (*res.entities, *res.events, *res.stories, *res.conflicts)}
    copies = max(1, -(-ndocs // len(records)))
    store = open_store(path)
    parts: dict[str, list] = {"entities": [], "events": [], "stories": [], "conflicts": [], "support": []}
    entity_of: dict[tuple[str, str], str] = {}
    n = 0
    for k in range(copies):
        def sub(text: str, k: int = k) -> str:
            def one(m: re.Match) -> str:
                s = m.group(0)
                if s not in known:
                    return s
                p = s[:4] if s[3:4] == "_" else ""
                return p + hashlib.sha1(f"{s}/{k}".encode()).hexdigest()[: len(s) - len(p)]
            return _ID.sub(one, text) if k else text

        def copy(tp, obj, sub=sub, k=k):
            return codec.loads(tp, sub(codec.dumps(obj))) if k else obj

        for r in records:
            data = codec.encode(r.document)
            text = data.pop("text")
            data = json.loads(sub(json.dumps(data)))
            data["text"] = text
            if k:
                data["fingerprint"] = []
            h = int(hashlib.sha1(data["id"].encode()).hexdigest(), 16)
            data["url"] = data.get("url") or f"https://www.outlet{h % OUTLETS:02d}.example/{data['id']}"
            if not (data.get("published") or {}).get("when", {}).get("value"):
                day = _day(h % 3000)
                data["published"] = codec.encode(Published(When(day, day, day), "metadata"))
            store.add_document(codec.decode(Document, data))
            if r.document.id in anns:
                store.save_annotations(copy(DocAnnotations, anns[r.document.id]))
            n += 1
        for name, tp in (("entities", Entity), ("events", Event), ("stories", Story), ("conflicts", Conflict),
                         ("support", Support)):
            parts[name] += [copy(tp, x) for x in getattr(res, name)]
        entity_of.update({(sub(d), key): sub(e) for (d, key), e in res.entity_of.items()})
    store.save_resolution(Resolution(*(tuple(parts[k]) for k in ("entities", "events", "stories", "conflicts",
                                                                  "support")), entity_of))
    store.close()
    return {"documents": n, "copies": copies, **{k: len(v) for k, v in parts.items() if k != "support"},
            "build_seconds": round(time.perf_counter() - t0, 1)}


# ---------------------------------------------------------------- measuring


def _pick(rows: list, k: int) -> list:
    """``k`` rows spread evenly over ``rows`` (the first always among them)."""
    if len(rows) <= k:
        return list(rows)
    return [rows[i * len(rows) // k] for i in range(k)]


def pages(c, instances: int = 20) -> dict[str, list[str]]:
    """Page type -> the paths measured for it: several instances of each (the largest story, the most
    mentioned entity, the longest document among them) and the last page of every paged list."""
    def total(api: str) -> int:
        return int(c.get(api, params={"limit": 1}).headers["X-Total-Count"])

    def last(page: str, api: str, per: int = 50) -> str:
        sep = "&" if "?" in page else "?"
        return f"{page}{sep}offset={max(0, total(api) - per)}"

    stories = c.get("/api/stories", params={"limit": 1000}).json()
    by_size = sorted(stories, key=lambda s: (-s["documents"], -s["events"]))
    sids = [s["id"] for s in [by_size[0], *_pick(stories, instances - 1)]]
    big = c.get(f"/api/story/{sids[0]}").json()
    ents = c.get("/api/entities", params={"limit": 1000}).json()
    eids = [e["id"] for e in _pick(ents[:200], instances)]
    docs = c.get("/api/documents", params={"limit": 1000}).json()
    dids = [max(docs, key=lambda d: d.get("words") or 0)["id"], *(d["id"] for d in _pick(docs, instances - 1))]
    cite = big["events"][0]["citations"][0].rsplit(":", 1)[1] if big["events"] and big["events"][0]["citations"] else ""
    person = next((e for e in ents if e["type"] == "PERSON"), ents[0])
    outlet = next((f for f, _ in _facet_outlets(c)), "")
    word = person["name"].split()[-1]
    return {
        "home": ["/", last("/", "/api/stories")],
        "stories api": ["/api/stories", f"/api/stories?offset={max(0, total('/api/stories') - 100)}"],
        "story page": [f"/story/{s}" for s in sids],
        "story api": [f"/api/story/{s}" for s in sids[:3]],
        "story compare": [f"/story/{s}/compare" for s in sids[:4]],
        "timeline": ["/timeline", last("/timeline", "/api/timeline")],
        "timeline story": [f"/timeline?story={s}" for s in sids[:4]],
        "timeline entity": [f"/timeline?entity={e}" for e in (person["name"], *eids[:3])],
        "timeline source": [f"/timeline?source={outlet}", f"/timeline?source={dids[1]}"],
        "timeline dates": ["/timeline?from=2008-01&to=2008-06", "/timeline?from=2010"],
        "timeline modality": ["/timeline?modality=not-fact", "/timeline?modality=fact&offset=2000"],
        "timeline role": ["/timeline?role=background", "/timeline?role=headline"],
        "timeline api": ["/api/timeline", f"/api/timeline?entity={person['name']}&role=news"],
        "entities": ["/entities", last("/entities", "/api/entities")],
        "entities filtered": ["/entities?type=PERSON", f"/entities?name={word}", "/entities?type=ORG&offset=100"],
        "entities sorted": ["/entities?sort=sources", "/entities?sort=name", "/entities?sort=name&offset=2000"],
        "entity page": [f"/entity/{e}" for e in eids],
        "documents": ["/documents", last("/documents", "/api/documents")],
        "documents filtered": [f"/documents?outlet={outlet}", "/documents?from=2008-01&to=2008-03",
                               "/documents?sort=date", "/documents?sort=outlet&offset=5000"],
        "document page": [f"/doc/{d}" for d in dids] + [f"/doc/{dids[0]}?hl={cite}"],
        "search": ["/search?q=police", "/search?q=said", f"/search?q={word}", "/search?q=said&sort=date",
                   "/search?q=police&offset=200", "/api/search?q=said"],
        "conflicts": ["/conflicts", last("/conflicts", "/api/conflicts"), "/api/conflicts"],
        "figures": ["/api/figures", f"/api/figures?offset={max(0, total('/api/figures') - 100)}",
                    "/api/figures?about=people"],
        "quotes": ["/api/quotes", f"/api/quotes?speaker={person['name']}"],
        "api docs": ["/docs"],
    }


def _facet_outlets(c) -> list[tuple[str, int]]:
    docs = c.get("/api/documents", params={"limit": 200}).json()
    seen: dict[str, int] = {}
    for d in docs:
        host = (d.get("url") or "").split("/")[2:3]
        if host:
            name = host[0][4:] if host[0].startswith("www.") else host[0]
            seen[name] = seen.get(name, 0) + 1
    return sorted(seen.items(), key=lambda kv: -kv[1])


def _p(times: list[float], q: float) -> float:
    s = sorted(times)
    return s[min(len(s) - 1, max(0, math.ceil(q * len(s)) - 1))]


def measure(db: Path, repeat: int, instances: int = 20, only: str | None = None) -> list[dict]:
    """One row per page type: requests, p50, p95 and the worst time (ms), the largest page (bytes), the
    slowest path. Each path is requested ``repeat`` times after one warm-up request."""
    from fastapi.testclient import TestClient

    from storyline.web import create_app

    rows = []
    with TestClient(create_app(db)) as c:
        for kind, paths in pages(c, instances).items():
            if only and only not in kind:
                continue
            times, cpu, worst, size = [], [], ("", 0.0), 0
            for p in paths:
                r = c.get(p)
                if r.status_code != 200:
                    raise SystemExit(f"{p}: HTTP {r.status_code}: {r.text[:300]}")
                size = max(size, len(r.content))
                for _ in range(repeat):
                    t, tc = time.perf_counter(), time.process_time()
                    c.get(p)
                    ms = (time.perf_counter() - t) * 1000
                    times.append(ms)
                    cpu.append((time.process_time() - tc) * 1000)
                    if ms > worst[1]:
                        worst = (p, ms)
            rows.append({"page": kind, "requests": len(times), "p50_ms": round(_p(times, 0.5), 1),
                         "p95_ms": round(_p(times, 0.95), 1), "max_ms": round(max(times), 1),
                         "cpu_p95_ms": round(_p(cpu, 0.95), 1), "bytes": size,
                         "slowest": worst[0]})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5, help="requests of each path (after one warm-up)")
    ap.add_argument("--instances", type=int, default=20, help="stories, entities and documents measured")
    ap.add_argument("--db", type=Path, help="reuse or keep the store here")
    ap.add_argument("--replicate", type=Path, metavar="STORE",
                    help="build by copying this real store with new ids (else: generated documents)")
    ap.add_argument("--only", help="page types whose name holds this")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if db.exists():
            info: dict = {"documents": "reused", "db": str(db)}
        elif args.replicate:
            info = replicate(args.replicate, db, args.docs)
        else:
            info = build(db, args.docs)
        rows = measure(db, args.repeat, args.instances, args.only)
    slow = [r for r in rows if r["p95_ms"] > TARGET_MS]
    if args.json:
        print(json.dumps({"store": info, "target_p95_ms": TARGET_MS, "pages": rows}, indent=2))
    else:
        print(f"store: {info}")
        print(f"{'page type':<20} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu p95':>8} {'bytes':>9}"
              "  slowest")
        for r in rows:
            flag = "  SLOW" if r in slow else ""
            print(f"{r['page']:<20} {r['requests']:>8} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['max_ms']:>8.1f} "
                  f"{r['cpu_p95_ms']:>8.1f} {r['bytes']:>9}  {r['slowest'][:60]}{flag}")
        print(f"target: p95 under {TARGET_MS:.0f} ms per page type: {'met' if not slow else f'{len(slow)} slow'}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
