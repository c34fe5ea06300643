"""Page latency of the web app over a synthetic 10,000-document store.

    .venv/bin/python bench/web_latency.py [--docs 10000] [--repeat 15] [--db FILE] [--json]

The store is built through the Store API (generated documents, annotations
and a resolution; no NLP), so it takes seconds, not hours. Each page and API
route is requested ``--repeat`` times through FastAPI's TestClient (the whole
ASGI stack, no network) and the median and worst time are printed. Every list
that grows with the store is paged; its first and its last page are both
measured (a deep OFFSET must stay fast too). Target: every page under 100 ms.
Exit status 1 when a median misses the target.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from storyline.kb import open_store
from storyline.model import (
    Claim, Conflict, DocAnnotations, Document, Entity, Event, EventMention, EventReport, Figure, LocalEntity, Mention,
    Participant, Published, Quote, Resolution, Span, Story, Support, TimeExpr, When,
)

TARGET_MS = 100.0
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
    people = [f"{f} {l}" for f in FIRST for l in LAST]  # 300 people
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
                                    published=Published(When(date, date, date), "metadata")))
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


def measure(db: Path, repeat: int) -> list[dict]:
    from fastapi.testclient import TestClient

    from storyline.web import create_app

    with TestClient(create_app(db)) as c:
        stories = c.get("/api/stories").json()
        big = max(stories, key=lambda s: (s["documents"], s["events"]))["id"]
        story = c.get(f"/api/story/{big}").json()
        doc = story["documents"][0]["id"]
        ent = max(story["actors"], key=lambda a: a["events"])["id"]
        cite = story["events"][0]["citations"][0].rsplit(":", 1)[1]
        paths = [
            "/", f"/story/{big}", f"/story/{big}/compare", f"/entity/{ent}", f"/doc/{doc}?hl={cite}", "/conflicts",
            "/search?q=budget+deal", "/api/stories", f"/api/story/{big}", f"/api/story/{big}/compare",
            f"/api/entity/{ent}", f"/api/doc/{doc}", "/api/conflicts", "/api/search?q=budget+deal",
            f"/api/timeline?story={big}", "/api/timeline", f"/entity/{PLACES[0]}", f"/api/entity/{PLACES[0]}",
            "/documents", "/entities", "/timeline", "/docs", "/api/documents", "/api/entities",
        ]
        # the last page of every paged list (deep OFFSET), from the totals the API reports
        for page, api in (("/", "/api/stories"), ("/documents", "/api/documents"), ("/entities", "/api/entities"),
                          ("/timeline", "/api/timeline"), ("/conflicts", "/api/conflicts")):
            total = int(c.get(api, params={"limit": 1}).headers["X-Total-Count"])
            last = max(0, total - 50)
            paths += [f"{page}?offset={last}", f"{api}?offset={max(0, total - 100)}"]
        paths.append("/search?q=budget+deal&offset=200")
        rows = []
        for p in paths:
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                r = c.get(p)
                times.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    raise SystemExit(f"{p}: HTTP {r.status_code}")
            rows.append({"path": p, "median_ms": round(statistics.median(times), 1),
                         "max_ms": round(max(times), 1), "bytes": len(r.content)})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--db", type=Path, help="reuse or keep the generated store here")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        info = build(db, args.docs) if not db.exists() else {"documents": "reused", "db": str(db)}
        rows = measure(db, args.repeat)
    slow = [r for r in rows if r["median_ms"] > TARGET_MS]
    if args.json:
        print(json.dumps({"store": info, "target_ms": TARGET_MS, "pages": rows}, indent=2))
    else:
        print(f"store: {info}")
        print(f"{'path':<44} {'median ms':>10} {'max ms':>9} {'bytes':>9}")
        for r in rows:
            flag = "  SLOW" if r in slow else ""
            print(f"{r['path'][:44]:<44} {r['median_ms']:>10.1f} {r['max_ms']:>9.1f} {r['bytes']:>9}{flag}")
        print(f"target: median under {TARGET_MS:.0f} ms per page: {'met' if not slow else f'{len(slow)} slow'}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
