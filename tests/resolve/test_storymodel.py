"""The story model (issue 17): each story's headline event, title and dates from its news, and its
events sorted into headline, news, background and reactions; generic verbs need more than the word."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from resolve_builder import DocBuilder, build_all

import storyline
from storyline.export.json import export_json
from storyline.model import Event, EventReport, Resolution, Span, Story, When
from storyline.resolve import resolve
from storyline.resolve.carry import rename
from storyline.resolve.timeline import timeline
from storyline.resolve.common import interval
from storyline.resolve.storymodel import (
    BACKGROUND_DAYS,
    ROLES,
    TITLE_WORDS,
    apply_story_model,
    background,
    event_title,
    headline_of,
    names_happening,
    news,
    reactions,
    title_span,
)

pytestmark = pytest.mark.issue(17)

EXAMPLES = Path(storyline.__file__).resolve().parent / "examples" / "demo"

TEXTS = {
    "a": "KELSO (Wire) - The Kelso dam collapsed on Tuesday, flooding the valley below. "
         "The dam was built in 1961. The governor said the collapse was a disaster.",
    "b": "The Kelso dam collapsed on Tuesday after days of rain, officials said. "
         "Engineers had warned about cracks in 1998. Rescue teams reached the valley on Wednesday.",
    "c": "Residents fled when the Kelso dam collapsed. Rescue teams reached the valley on Wednesday.",
}
DAYS = {"a": "2026-04-08", "b": "2026-04-08", "c": "2026-04-09"}


def _day(iso: str) -> tuple[int, int]:
    return interval(When(iso, iso, iso))


def _rep(doc: str, trigger: str, sentence: str, when: str | None = None, salience: int | None = None) -> EventReport:
    text = TEXTS[doc]
    s = text.index(sentence)
    t = text.index(trigger, s)
    return EventReport(Span.of(doc, text, s, s + len(sentence)), f"{doc}:{trigger}",
                       When(when, when, when) if when else None, Span.of(doc, text, t, t + len(trigger)), "asserted", salience)


def _event(eid: str, typ: str, label: str, reports, when: str | None = None) -> Event:
    return Event(eid, typ, label, (), When(when, when, when) if when else None, tuple(reports),
                 sources=len({r.span.doc for r in reports}))


def _story_fixture():
    collapse = _event("evt_collapse", "DISASTER", "someone — collapse", [
        _rep("a", "collapsed", "The Kelso dam collapsed on Tuesday, flooding the valley below", "2026-04-07", 1),
        _rep("b", "collapsed", "The Kelso dam collapsed on Tuesday after days of rain, officials said", "2026-04-07", 1),
        _rep("c", "collapsed", "Residents fled when the Kelso dam collapsed", None, 2),
    ], "2026-04-07")
    built = _event("evt_built", "OTHER", "someone — build", [_rep("a", "built", "The dam was built in 1961", "1961")], "1961")
    warned = _event("evt_warned", "OTHER", "someone — warn", [_rep("b", "warned", "Engineers had warned about cracks in 1998", "1998")], "1998")
    said = _event("evt_said", "STATEMENT", "governor — say", [_rep("a", "said", "The governor said the collapse was a disaster")])
    fled = _event("evt_fled", "MOVE", "someone — flee", [_rep("c", "fled", "Residents fled when the Kelso dam collapsed", None, 1)])
    rescue = _event("evt_rescue", "OTHER", "someone — reach", [
        _rep("b", "reached", "Rescue teams reached the valley on Wednesday", "2026-04-08"),
        _rep("c", "reached", "Rescue teams reached the valley on Wednesday", "2026-04-08")], "2026-04-08")
    events = (built, collapse, fled, rescue, said, warned)
    story = Story("sty_kelso", "Kelso — collapse", ("a", "b", "c"), tuple(sorted(e.id for e in events)), "1961-01-01", "2026-04-09")
    return Resolution(events=events, stories=(story,))


DOC_DAYS = {d: _day(x) for d, x in DAYS.items()}


def test_the_headline_is_what_most_reports_tell_and_lead_with():
    res = _story_fixture()
    events = {e.id: e for e in res.events}
    assert headline_of(res.stories[0], events, DOC_DAYS, {}).id == "evt_collapse"
    # told by two reports that are one source (b copies a) and led with by neither, the rescue
    # does not outrank the collapse that every source leads with
    rescue = events["evt_rescue"]
    twice = dataclasses.replace(rescue, mentions=rescue.mentions + (dataclasses.replace(rescue.mentions[0], span=dataclasses.replace(rescue.mentions[0].span, doc="b")),))
    assert headline_of(res.stories[0], {**events, "evt_rescue": twice}, DOC_DAYS, {"b": "c"}).id == "evt_collapse"


def _report(doc: str, text: str, trigger: str, after: str = "", salience: int | None = None) -> EventReport:
    t = text.index(trigger, text.index(after) + len(after) if after else 0)
    return EventReport(Span.of(doc, text, 0, len(text)), f"{doc}:{t}", None, Span.of(doc, text, t, t + len(trigger)),
                       "asserted", salience)


def test_a_word_part_names_no_happening():
    text = "President-elect Obama asked Gupta. Anti - piracy patrols and anti-piracy talks went on. Obama was elected."
    assert not names_happening(_report("x", text, "elect"))
    assert not names_happening(_report("x", text, "piracy"))
    assert not names_happening(_report("x", text, "piracy", "and anti-"))
    assert names_happening(_report("x", text, "elected"))
    again = "Obama was re-elected, and the firm he co-founded grew."
    assert names_happening(_report("x", again, "elected")) and names_happening(_report("x", again, "founded"))
    assert names_happening(_report("x", text, "asked"))


def test_the_headline_is_what_reports_open_with_and_never_a_title_word():
    texts = {d: f"President-elect Obama has approached Gupta for the post, report {d} says. Gupta met aides." for d in "pqr"}
    elect = _event("evt_elect", "ELECTION", "someone — elect",
                   [_report(d, t, "elect", salience=1) for d, t in texts.items()])
    approach = _event("evt_approach", "OTHER", "Obama — approach", [_report(d, t, "approached") for d, t in texts.items()])
    met = _event("evt_a_met", "OTHER", "Gupta — meet", [_report(d, t, "met") for d, t in texts.items()])
    events = {e.id: e for e in (elect, approach, met)}
    story = Story("sty_gupta", "Gupta", tuple(texts), tuple(sorted(events)), None, None)
    # every report leads with "President-elect", a title: the happening is the approach, which every
    # report tells first; the meeting is told by as many reports, later in each
    assert headline_of(story, events, {}, {}).id == "evt_approach"


def test_a_tie_goes_to_what_more_reports_lead_and_open_with_not_its_cause():
    texts = {
        "p": "Fresh protests swept Tarn after the killing of a miner.",
        "q": "Protests spread across Tarn over the killing of a miner by guards.",
        "r": "Guards fired on miners in Tarn, and the killing of a miner was condemned.",
    }
    # the killing: told by three reports, led with by one, told first by none; the protests: told by
    # two, led with by one, told first by both. Equal scores: the protests are the news (the killing
    # is what they are about), though the killing is the more specific class
    killing = _event("evt_a_killing", "ASSAULT", "someone — kill", [
        _report("p", texts["p"], "killing", salience=1), _report("q", texts["q"], "killing"), _report("r", texts["r"], "killing")])
    protests = _event("evt_b_protest", "OTHER", "someone — protest", [
        _report("p", texts["p"], "protests"), _report("q", texts["q"], "Protests", salience=1)])
    fired = _event("evt_c_fire", "OTHER", "Guards — fire", [_report("r", texts["r"], "fired", salience=1)])
    events = {e.id: e for e in (killing, protests, fired)}
    story = Story("sty_tarn", "Tarn", tuple(texts), tuple(sorted(events)), None, None)
    assert headline_of(story, events, {}, {}).id == "evt_b_protest"


def test_roles_dates_and_title_come_from_the_news():
    out = apply_story_model(_story_fixture(), DOC_DAYS, {})
    story = out.stories[0]
    role = {e.id: e.role for e in out.events}
    assert story.headline == "evt_collapse" and role["evt_collapse"] == "headline"
    assert role["evt_built"] == role["evt_warned"] == "background"  # dated decades before the news
    assert role["evt_said"] == "reaction"
    assert role["evt_rescue"] == role["evt_fled"] == "news"
    assert set(role.values()) <= set(ROLES)
    # the story's dates are the collapse and the rescue, never 1961 from the background
    assert (story.earliest, story.latest) == ("2026-04-07", "2026-04-08")
    # the title: the sources' own words around the trigger, no dateline, and the story's label
    assert story.title.startswith("The Kelso dam collapsed on Tuesday")
    assert "KELSO" not in story.title and story.label == story.title
    assert [e.id for e in news(out, story.id)] == ["evt_collapse", "evt_fled", "evt_rescue"]
    assert [e.id for e in background(out, story.id)] == ["evt_built", "evt_warned"]
    assert [e.id for e in reactions(out, story.id)] == ["evt_said"]


def test_the_story_timeline_is_its_news_unless_background_is_asked_for():
    out = apply_story_model(_story_fixture(), DOC_DAYS, {})
    assert [e.id for e in timeline(out, "sty_kelso")] == ["evt_collapse", "evt_rescue"]
    assert [e.id for e in timeline(out, "sty_kelso", background=True)] == ["evt_built", "evt_warned", "evt_collapse", "evt_rescue"]


def test_an_event_dated_just_before_the_news_is_still_news():
    res = _story_fixture()
    near = dataclasses.replace(next(e for e in res.events if e.id == "evt_warned"),
                               when=When("2026-03-25", "2026-03-25", "2026-03-25"),
                               mentions=(dataclasses.replace(next(e for e in res.events if e.id == "evt_warned").mentions[0],
                                                             when=When("2026-03-25", "2026-03-25", "2026-03-25")),))
    far_day = interval(When("2026-04-07", "2026-04-07", "2026-04-07"))[0] - BACKGROUND_DAYS - 5
    assert far_day < interval(near.when)[0]
    out = apply_story_model(dataclasses.replace(res, events=tuple(near if e.id == near.id else e for e in res.events)), DOC_DAYS, {})
    assert {e.id: e.role for e in out.events}["evt_warned"] == "news"
    assert out.stories[0].earliest == "2026-04-07"  # one report's date of a development does not date the story
    told = dataclasses.replace(near, mentions=near.mentions + (dataclasses.replace(near.mentions[0], span=dataclasses.replace(near.mentions[0].span, doc="c")),))
    out = apply_story_model(dataclasses.replace(res, events=tuple(told if e.id == near.id else e for e in res.events)), DOC_DAYS, {})
    assert out.stories[0].earliest == "2026-03-25"  # two sources' development before the headline does


def test_a_story_with_nothing_dated_in_its_news_has_no_dates():
    res = _story_fixture()
    undated = tuple(dataclasses.replace(e, when=None, mentions=tuple(dataclasses.replace(m, when=None) for m in e.mentions))
                    if e.id in ("evt_collapse", "evt_rescue") else e for e in res.events)
    story = apply_story_model(dataclasses.replace(res, events=undated), DOC_DAYS, {}).stories[0]
    assert story.earliest is None and story.latest is None  # unknown beats 1961


def test_one_report_dating_the_headline_decades_off_does_not_date_the_story():
    """Reports without a publication date (a day read off the text is no publication day), one of
    which dates the headline to a birth year: the story stays undated rather than wrongly dated."""
    res = _story_fixture()
    ev = next(e for e in res.events if e.id == "evt_collapse")
    odd = dataclasses.replace(ev, when=When("1922-12-11", "1922-12-11", "1922-12-11"), mentions=(
        dataclasses.replace(ev.mentions[0], when=When("1922-12-11", "1922-12-11", "1922-12-11")),
        *(dataclasses.replace(m, when=None) for m in ev.mentions[1:])))
    res = dataclasses.replace(res, events=tuple(odd if e.id == ev.id else e for e in res.events))
    text_days = {d: _day("1923-04-22") for d in DAYS}  # the latest date each text names
    story = apply_story_model(res, text_days, {}, published={}).stories[0]
    assert story.headline == "evt_collapse" and story.earliest is None and story.latest is None


def test_a_wide_date_gives_no_day_of_the_headline():
    """Two sources must give the headline's day for it to date the story (no publication days): a
    report dated "April 2026" gives 7 April 2026; one dated from 1961 to 2026 (a life, a history)
    only holds it."""
    res = _story_fixture()
    ev = next(e for e in res.events if e.id == "evt_collapse")

    def dated(second: When) -> Story:
        reps = (ev.mentions[0], dataclasses.replace(ev.mentions[1], when=second), dataclasses.replace(ev.mentions[2], when=None))
        one = dataclasses.replace(ev, mentions=reps)
        out = dataclasses.replace(res, events=tuple(one if e.id == ev.id else e for e in res.events))
        return apply_story_model(out, DOC_DAYS, {}, published={}).stories[0]

    month = dated(When("2026-04", "2026-04-01", "2026-04-30"))
    assert (month.earliest, month.latest) == ("2026-04-07", "2026-04-08")
    wide = dated(When(None, "1961-01-01", "2026-04-07"))
    assert wide.headline == "evt_collapse" and wide.earliest is None and wide.latest is None


def test_title_is_a_trimmed_clause_with_its_provenance():
    text = ("WASHINGTON (AP) - Senator Ana Ruiz on Thursday blocked the bill that would have cut the budget of "
            "every port authority in the country for the next five years, aides said.")
    TEXTS["w"] = text
    try:
        rep = _rep("w", "blocked", text[:-1], None, 1)
        ev = _event("evt_w", "REJECT", "Ana Ruiz — block", [rep])
        sp = title_span(ev)
        assert text[sp.start:sp.end] == sp.text  # a span of the source, not a paraphrase
        assert "WASHINGTON" not in sp.text and "aides said" not in sp.text
        assert "blocked" in sp.text and len(sp.text.split()) <= TITLE_WORDS
        assert event_title(ev)[0].isupper()
    finally:
        del TEXTS["w"]


def test_a_label_is_a_clause_even_when_the_headline_gives_none():
    res = _story_fixture()
    bare = tuple(dataclasses.replace(e, mentions=tuple(dataclasses.replace(m, span=m.trigger) for m in e.mentions))
                 if e.id == "evt_collapse" else e for e in res.events)
    story = apply_story_model(dataclasses.replace(res, events=bare), DOC_DAYS, {}).stories[0]
    assert story.headline == "evt_collapse" and story.title is None  # "collapsed" is no clause
    assert story.label == "Rescue teams reached the valley on Wednesday"  # the news most reports tell
    alone = Resolution(events=(bare[1],), stories=(dataclasses.replace(res.stories[0], label="Kelso: someone — collapse",
                                                                       events=("evt_collapse",)),))
    assert apply_story_model(alone, DOC_DAYS, {}).stories[0].label == "Kelso: collapse"


def test_a_title_never_opens_with_a_subject_that_names_nobody():
    one = "Guards at the gate asked that someone open the door, and the visitors waited for an hour."
    rep = _report("g", one, "open")
    sp = title_span(_event("evt_g", "OTHER", "someone — open", [rep]))
    assert one[sp.start:sp.end] == sp.text and sp.text.startswith("Guards at the gate")
    # with another report to choose from, the clause that names who did it
    two = "Someone broke the window. Police said a neighbour broke the window of the shop at night."
    reps = [_report("h", two, "broke", salience=1), _report("i", two, "broke", "a neighbour ")]
    reps = [dataclasses.replace(reps[0], span=Span.of("h", two, 0, 25)), dataclasses.replace(reps[1], span=Span.of("i", two, 26, len(two)))]
    assert not event_title(_event("evt_h", "OTHER", "someone — break", reps)).lower().startswith("someone")


def test_a_title_opens_on_its_subject_and_keeps_its_words_whole():
    lead = ("Ana Ruiz, the singer whose ballads filled dance halls across the south in the 1960s and 1970s, "
            "has died, her agent said.")
    other = "Singer Ana Ruiz dies at 85 in her home town"
    reps = [_report("j", lead, "died", salience=1), _report("k", other, "dies")]
    title = event_title(_event("evt_j", "DIE", "Ana Ruiz — die", reps))
    assert title == "Singer Ana Ruiz dies at 85 in her home town"  # not "Has died, her agent said"
    # with no other report, the lead's clause is still the title
    assert event_title(_event("evt_j", "DIE", "Ana Ruiz — die", reps[:1])).startswith("Has died")
    # a tokenized text spaces its hyphens ("16 - year - old"): a clause cut there loses half a word
    spaced = "Crowds marched after it was revealed that 16 - year - old Tom Bell was shot by the police"
    whole = "Police shot Tom Bell, a teenager, in Flatbush on Saturday"
    reps = [_report("l", spaced, "shot", salience=1), _report("m", whole, "shot")]
    assert not event_title(_event("evt_l", "ASSAULT", "Tom Bell — shoot", reps)).startswith("Old")
    # nor on the object of a preposition ("fall to) his death"), when a report gives a clause
    fall = "A climber survived two nights in a cave after seeing his brother fall to his death from the peak."
    other = "A climber who watched his brother fall to his death was rescued on Sunday"
    reps = [_report("q", fall, "death", salience=1), _report("r", other, "death")]
    assert event_title(_event("evt_q", "DIE", "climber — die", reps)).startswith("A climber who watched")
    # nor does it end on a word that needs what follows it
    quoted = 'Rescuers pulled two hikers from the ravine and "saved their lives", officials said.'
    rep = _report("o", quoted, "pulled", salience=1)
    assert event_title(_event("evt_o", "OTHER", "Rescuers — pull", [rep])) == "Rescuers pulled two hikers from the ravine"
    # a title line of a text with Windows line ends keeps no full stop, and the quote mark it closes
    quote = "Netanyahu's Iran Intel 'Presented a Smoking Bomb'\r\n\r\nJERUSALEM - Netanyahu presented files."
    rep = _report("p", quote, "Presented", salience=1)
    assert event_title(_event("evt_p", "OTHER", "Netanyahu — present", [rep])) == "Netanyahu's Iran Intel 'Presented a Smoking Bomb'"
    crlf = "White House Delays Tariffs on Steel for 30 Days.\r\n\r\nWASHINGTON - The White House delayed tariffs."
    rep = _report("n", crlf, "Delays", salience=1)
    assert event_title(_event("evt_n", "OTHER", "White House — delay", [rep])) == "White House Delays Tariffs on Steel for 30 Days"


def test_carried_ids_rename_the_headline():
    out = apply_story_model(_story_fixture(), DOC_DAYS, {})
    renamed = rename(out, {"evt_collapse": "evt_old"})
    assert renamed.stories[0].headline == "evt_old"
    assert "evt_old" in renamed.stories[0].events


# ---------------------------------------------------------------- generic verbs (section 4)


def _calls(same_person: bool, urls=()):
    """Two reports of one story (the Halden port strike) that use "called"."""
    common = " Grace Okafor of the Dockworkers Union led the Halden port strike."
    if same_person:
        a = DocBuilder("a", "Grace Okafor called the minister." + common, "2026-03-02")
        b = DocBuilder("b", "Grace Okafor called Paul Brandt on the phone." + common, "2026-03-02")
    else:
        a = DocBuilder("a", "Voters called the hotline." + common, "2026-03-02")
        b = DocBuilder("b", "The sergeant-at-arms was called to the chamber." + common, "2026-03-02")
    for d in (a, b):
        g = d.ent("PERSON", "Grace Okafor")
        d.ent("ORG", "Dockworkers Union")
        d.ent("GPE", "Halden")
        actor = [g] if same_person else [d.ent("ORG", "Voters" if d.doc == "a" else "sergeant-at-arms")]
        d.event("OTHER", "called", actor, sentence=d.text.split(".")[0] + ".")
        d.events[-1] = dataclasses.replace(d.events[-1], concept="call")
    records, anns = build_all(a, b)
    if urls:
        records = [dataclasses.replace(r, document=dataclasses.replace(r.document, url=u)) for r, u in zip(records, urls)]
    # content terms, so that the two reports are one story grouped by what they say
    anns = [dataclasses.replace(x, terms=(("dockworkers", 2), ("halden", 2), ("okafor", 2), ("strike", 2))) for x in anns]
    return resolve(records, anns)


def test_a_shared_generic_verb_is_not_a_shared_happening():
    res = _calls(same_person=False)
    assert len({s.id for s in res.stories}) == 1  # one story: only the verb keeps them apart
    calls = [e for e in res.events if any(m.trigger and m.trigger.text == "called" for m in e.mentions)]
    assert all(e.sources == 1 for e in calls), [(e.label, e.sources) for e in calls]


def test_the_same_person_calling_is_one_happening():
    res = _calls(same_person=True)
    assert len({s.id for s in res.stories}) == 1
    calls = [e for e in res.events if any(m.trigger and m.trigger.text == "called" for m in e.mentions)]
    assert len(calls) == 1 and calls[0].sources == 2


def test_one_outlet_counts_once():
    """Two reports of one call on one site are one source; on two sites, two."""
    res = _calls(True, urls=("https://www.halden-news.example/a", "https://halden-news.example/b"))
    call = next(e for e in res.events if len({m.span.doc for m in e.mentions}) == 2)
    assert call.sources == 1
    assert next(s for s in res.support if s.item == call.id).sources == 1
    res = _calls(True, urls=("https://halden-news.example/a", "https://port-herald.example/b"))
    call = next(e for e in res.events if len({m.span.doc for m in e.mentions}) == 2)
    assert call.sources == 2 and next(s for s in res.support if s.item == call.id).sources == 2


# ---------------------------------------------------------------- real inputs


def _check_model(store):
    res = store.resolution()
    events = {e.id: e for e in res.events}
    texts = {r.id: r.document.text for r in store.documents()}
    exported = export_json(store)
    for st in res.stories:
        if not st.events:
            continue
        assert st.headline in st.events
        roles = [events[e].role for e in st.events]
        assert roles.count("headline") == 1 and set(roles) <= set(ROLES)
        assert not st.label.lower().startswith("someone")
        if st.title:  # the sources' own words
            assert st.label == st.title
            assert any(st.title[1:] in texts[d] for d in st.documents)
        if st.earliest:  # the story's first day is a day of its news, never of its background
            starts = {interval(events[e].when)[0] for e in st.events
                      if events[e].role in ("headline", "news") and events[e].when and interval(events[e].when)}
            assert interval(When(st.earliest, st.earliest, st.earliest))[0] in starts
    ex = {s["id"]: s for s in exported["stories"]}
    for st in res.stories:
        assert ex[st.id]["headline"] == st.headline and ex[st.id].get("title") == st.title
    assert all("role_in_story" in e for e in exported["events"])
    return res


@pytest.mark.seeds
@pytest.mark.slow
def test_the_seed_stories_name_their_news(seeds_dir):
    store = storyline.open_store(":memory:")
    try:
        storyline.ingest([str(seeds_dir)], store, workers=1)
        res = _check_model(store)
        big = max(res.stories, key=lambda s: len(s.documents))
        assert big.title and big.earliest and big.earliest >= "2025-01-01"  # the spring 2025 news, not history
        assert any(e.role == "background" for e in res.events if e.id in big.events)
    finally:
        store.close()


@pytest.mark.slow
def test_the_demo_stories_name_their_news():
    store = storyline.open_store(":memory:")
    try:
        storyline.ingest([str(EXAMPLES)], store, workers=1)
        res = _check_model(store)
        assert any(s.title for s in res.stories)
    finally:
        store.close()
