"""The HTML building blocks: nesting highlights, citation marks, the timeline SVG."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from hypothesis import given, settings, strategies as st

from storyline.web.render import AppLinks, cited_text, highlight
from storyline.web.svg import timeline_svg


class Nesting(HTMLParser):
    """Fails on any end tag that does not close the innermost open element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack)
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check(html: str) -> str:
    p = Nesting()
    p.feed(html)
    p.close()
    assert p.stack == []
    return "".join(p.text)


def item(kind, s, e, text):
    return {"type": kind, "start": s, "end": e, "text": text[s:e], "name": "N", "entity_type": "PERSON"}


def test_crossing_items_nest_and_keep_text():
    text = "Alpha <b>beta</b> gamma & delta"
    items = [item("event", 0, 20, text), item("quote", 6, 28, text), item("entity", 10, 14, text)]
    html = str(highlight(text, items))
    assert check(html) == text
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp;" in html


def test_cited_range_stays_one_mark_across_item_borders():
    text = "One two three four five six seven"
    items = [item("event", 0, 13, text), item("entity", 8, 18, text)]
    html = str(highlight(text, items, [(4, 18)]))
    marks = re.findall(r'<mark class="cited" id="hl-4-18">(.*?)</mark>', html)
    assert len(marks) == 1 and unescape(re.sub(r"<[^>]+>", "", marks[0])) == text[4:18]
    assert check(html) == text


def test_overlapping_cited_ranges_merge_with_one_anchor_each():
    text = "abcdefghijklmnopqrstuvwxyz"
    html = str(highlight(text, [], [(2, 10), (5, 14), (20, 22), (30, 40), (7, 7)]))
    assert html.count('<mark class="cited"') == 2
    assert 'id="hl-2-10"' in html and 'id="hl-5-14"' in html and 'id="hl-20-22"' in html
    assert "hl-30-40" not in html and "hl-7-7" not in html  # out of range / empty are dropped
    assert check(html) == text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab<>&\"' \n", min_size=1, max_size=40), st.data())
def test_highlight_property_any_spans(text, data):
    n = len(text)
    pos = st.integers(0, n)
    spans = data.draw(st.lists(st.tuples(pos, pos), max_size=6))
    kinds = data.draw(st.lists(st.sampled_from(["entity", "time", "quote", "figure", "event"]), min_size=6, max_size=6))
    items = [item(k, min(a, b), max(a, b), text) for k, (a, b) in zip(kinds, spans)]
    cited = data.draw(st.lists(st.tuples(pos, pos), max_size=3))
    html = str(highlight(text, items, [(min(a, b), max(a, b)) for a, b in cited]))
    assert check(html) == text


def test_cited_text_turns_markers_into_links():
    html = str(cited_text("On 9 June, <b>X</b> met Y. [abc123:4-9] [abc123:20-31]", AppLinks()))
    assert "&lt;b&gt;X&lt;/b&gt;" in html
    assert re.findall(r'href="([^"]+)"', html) == ["/doc/abc123?hl=4-9#hl-4-9", "/doc/abc123?hl=20-31#hl-20-31"]
    assert "[abc123" not in re.sub(r'title="[^"]*"', "", html)


def mark(event, dates, disagree=False, label="Event"):
    return {"event": event, "label": label, "dates": dates, "disagree": disagree, "conflict": False}


def d(date=None, earliest=None, latest=None, cite="doc1:0-5"):
    return {"date": date, "earliest": earliest, "latest": latest, "cites": [cite]}


def test_svg_draws_days_ranges_open_ranges_and_disagreements():
    rows = [
        mark("V1", [d("2031-06-09", "2031-06-09", "2031-06-09"), d("2031-06-10", "2031-06-10", "2031-06-10", "doc2:3-9")],
             disagree=True, label="<b>meeting</b>"),
        mark("V2", [d("2031-06", "2031-06-01", "2031-06-30")]),
        mark("V3", [d(None, "2031-06-20", None)]),
        mark("V4", []),  # undated: not drawn
    ]
    svg = str(timeline_svg(rows, AppLinks()))
    check(svg)
    assert svg.count("<g class=") == 3 and 'data-event="V4"' not in svg
    assert svg.count('class="mark disagree day"') == 2 and 'class="disagree-link"' in svg
    assert 'class="mark range"' in svg and 'class="mark range open"' in svg
    assert "&lt;b&gt;meeting" in svg and "<b>" not in svg
    assert 'href="/doc/doc2?hl=3-9#hl-3-9"' in svg
    xs = [float(x) for x in re.findall(r'<circle class="mark disagree day" cx="([\d.]+)"', svg)]
    assert xs[0] < xs[1]  # the two dates sit at their own places on the axis


def test_svg_without_dated_events_says_so():
    assert "No dated events" in str(timeline_svg([mark("V1", [])], AppLinks()))
