"""The second example story (bench/corpus/story2) and its gold annotation agree,
and resolving entity annotations read off its texts gives the gold stories."""

from __future__ import annotations

import json
import re
from pathlib import Path

from resolve_builder import DocBuilder, build_all

from storyline.resolve import resolve

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "bench" / "corpus" / "story2"
GOLD = json.loads((ROOT / "bench" / "gold" / "story2.json").read_text(encoding="utf-8"))
DATE_LINE = re.compile(r"^date (\d{4}-\d{2}-\d{2})\n")


def _texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}


def _nth(text: str, sub: str, n: int) -> int:
    at = -1
    for _ in range(n):
        at = text.find(sub, at + 1)
        assert at >= 0, sub
    return at


def test_corpus_shape():
    texts = _texts()
    assert len(texts) >= 12
    for name, text in texts.items():
        assert 120 <= len(text.split()) <= 300, name
    dated = [n for n, t in texts.items() if DATE_LINE.match(t)]
    assert 0 < len(dated) < len(texts)  # some articles carry no date line
    assert set(GOLD["stories"]) == set(texts)
    assert len(set(GOLD["stories"].values())) >= 2
    assert min(list(GOLD["stories"].values()).count(s) for s in set(GOLD["stories"].values())) >= 3


def test_every_gold_text_is_in_its_document():
    texts = _texts()
    for ent in GOLD["entities"]:
        for m in ent["mentions"]:
            _nth(texts[m["doc"]], m["text"], m.get("n", 1))
    for ev in GOLD["events"]:
        for m in ev["mentions"]:
            _nth(texts[m["doc"]], m["text"], m.get("n", 1))
        assert set(ev["dates"]) <= {m["doc"] for m in ev["mentions"]}
    for c in GOLD["conflicts"]:
        assert c["kind"] in ("date", "number") and len(c["claims"]) >= 2
        for cl in c["claims"]:
            _nth(texts[cl["doc"]], cl["text"], cl.get("n", 1))
    for a, b in GOLD["duplicates"]:
        assert texts[a].split("\n\n", 2)[2] == texts[b].split("\n\n", 2)[2]  # same body, other outlet


def test_resolving_the_gold_names_gives_the_gold_stories_and_two_okafors():
    texts = _texts()
    builders = {}
    for name, text in texts.items():
        m = DATE_LINE.match(text)
        dup = next((a for a, b in GOLD["duplicates"] if b == name), None)
        builders[name] = DocBuilder(name, text, m.group(1) if m else None, duplicate_of=dup)
    keys = {}
    for ent in GOLD["entities"]:
        for m in ent["mentions"]:
            keys[(m["doc"], ent["name"])] = builders[m["doc"]].ent(ent["type"], m["text"])
    res = resolve(*build_all(*builders.values()))
    for ent in GOLD["entities"]:  # one entity per gold entity
        ids = {res.entity_of[(m["doc"], keys[(m["doc"], ent["name"])])] for m in ent["mentions"]}
        assert len(ids) == 1, ent["name"]
    doc4 = "04_business_desk_container_lines.txt"
    assert res.entity_of[(doc4, keys[(doc4, "Grace Okafor")])] != res.entity_of[(doc4, keys[(doc4, "Samuel Okafor")])]
    story_of = {d: s.id for s in res.stories for d in s.documents}
    gold = GOLD["stories"]
    dated = {n for n, t in texts.items() if DATE_LINE.match(t)}
    for a in gold:
        for b in gold:
            if story_of[a] == story_of[b]:
                assert gold[a] == gold[b], (a, b)  # never a wrong merge, dated or not
            if a in dated and b in dated and gold[a] == gold[b]:
                assert story_of[a] == story_of[b], (a, b)  # dated articles of one story all join
    # the undated article sharing only the union leader with the dated ones is not forced in
    # (a documented recall gap: without a date, one shared person is weak evidence)
