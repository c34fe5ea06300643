"""storyline_events: own invented articles for each pattern, the seeds'
done-when, negation, provenance and robustness."""

from __future__ import annotations

import pytest

from storyline.config import Settings
from storyline.model import Document
from storyline.nlp.build import build_pipeline
from storyline.lexicon.plover import NOUNS, PLOVER_TYPES, VERBS

SEED_000 = "000_b905ca77b33b56a9.txt"
SEED_001 = "001_72ebe120087ad5d5.txt"
SEED_002 = "002_d7cb50c4055dd700.txt"
SEED_003 = "003_d9be2b8724f4b280.txt"


@pytest.fixture(scope="session")
def nlp():
    return build_pipeline(Settings())


def annotate(nlp, text: str, doc_id: str = "t1"):
    doc = nlp.make_doc(text)
    doc._.sl_document = Document(id=doc_id, text=text, source=f"{doc_id}.txt")
    return nlp(doc)


def who(doc, ev) -> set[str]:
    names = {e.key: e.name for e in doc._.sl_entities}
    return {names.get(p.entity, p.entity) for p in ev.participants}


def doc_entity_name(doc, key: str) -> str | None:
    return {e.key: e.name for e in doc._.sl_entities}.get(key)


def find(doc, typ: str, trigger: str):
    hits = [e for e in doc._.sl_events if e.type == typ and trigger in e.trigger.text]
    assert hits, f"no {typ} {trigger!r} in {[(e.type, e.trigger.text) for e in doc._.sl_events]}"
    return hits[0]


def test_lexicon_uses_plover_types():
    assert {t for t, _ in VERBS.values()} <= set(PLOVER_TYPES)
    assert {t for t, _ in NOUNS.values()} <= set(PLOVER_TYPES)


ARTICLE = (
    "On March 3, 2025, Foreign Minister John Miller held a telephone conversation with Prime Minister Sarah "
    "Johnson. Miller met with Johnson in London on March 10, 2025. The two leaders will meet again in Paris. "
    "Germany threatened France with tariffs. Miller called on Germany to increase its spending. "
    "The government moved to revoke permits for Shell."
)


def test_consult_call_and_meeting(nlp):
    doc = annotate(nlp, ARTICLE)
    call = find(doc, "CONSULT", "conversation")
    assert call.mode == "phone call" and {"John Miller", "Sarah Johnson"} <= who(doc, call)
    assert call.when is not None and call.when.value == "2025-03-03" and call.time is not None
    assert call.label.startswith("John Miller — phone call — Sarah Johnson")
    meet = find(doc, "CONSULT", "met")
    assert meet.mode == "meeting" and meet.when.value == "2025-03-10" and not meet.repeat
    assert meet.where is not None and {e.key: e.name for e in doc._.sl_entities}[meet.where] == "London"


def test_threaten_demand(nlp):
    doc = annotate(nlp, ARTICLE)
    threat = find(doc, "THREATEN", "threatened")
    assert {"Germany", "France"} <= who(doc, threat)
    demand = find(doc, "DEMAND", "called")
    assert "Germany" in who(doc, demand)
    assert [e.id for e in doc._.sl_events] == [f"v{i}" for i in range(len(doc._.sl_events))]


def test_repeat_is_marked(nlp):
    doc = annotate(nlp, "Prime Minister Sarah Johnson will meet again with President Emmanuel Macron in Paris.")
    meet = find(doc, "CONSULT", "meet")
    assert meet.repeat and "Emmanuel Macron" in who(doc, meet)


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("John Miller did not specify whether there will be a bilateral meeting with Sarah Johnson.", {"hypothetical", "planned"}),
        ("A first bilateral meeting between John Miller and Sarah Johnson was not possible.", {"negated", "hypothetical"}),
        ("John Miller did not meet Sarah Johnson in London.", {"negated"}),
        ("John Miller hopes to meet with Sarah Johnson in London.", {"requested", "hypothetical"}),
    ],
)
def test_negated_or_hypothetical_events_say_so(nlp, text, modality):
    """Kept, with what the text says of them: never told as having happened."""
    doc = annotate(nlp, text)
    meetings = [e for e in doc._.sl_events if e.trigger.text.endswith(("meet", "meeting"))]
    assert meetings and all(e.modality in modality for e in meetings)


@pytest.mark.parametrize(
    ("text", "trigger", "modality"),
    [
        ("Hunter is expected to be indicted by a federal grand jury.", "indicted", "expected"),
        ("Spain announced it would cease its leadership of the mission at the end of June.", "cease", "planned"),
        ("The minister denied that he took the money.", "took", "denied"),
        ("The police arrested two men on Monday.", "arrested", "asserted"),
        ("The mayor may resign next week.", "resign", "possible"),
        ("The union urged the company to cancel the contract.", "cancel", "requested"),
        ("The arrest will not affect his status for Sunday's game.", "arrest", "asserted"),
        ("The rep would not reveal why she entered rehab.", "entered", "asserted"),
    ],
)
def test_modality(nlp, text, trigger, modality):
    doc = annotate(nlp, text)
    (ev,) = [e for e in doc._.sl_events if e.trigger.text == trigger]
    assert ev.modality == modality


def test_roles_by_meaning_not_position(nlp):
    doc = annotate(nlp, "Hunter Biden was indicted by a federal grand jury in Delaware.")
    (ev,) = [e for e in doc._.sl_events if e.trigger.text == "indicted"]
    assert ev.type == "CHARGE"
    roles = {p.role: doc_entity_name(doc, p.entity) for p in ev.participants}
    assert roles.get("target") == "Hunter Biden"


def test_light_verb_and_nouns_are_one_trigger(nlp):
    doc = annotate(nlp, "Trump delivered a bizarre threat. The earthquake destroyed the town.")
    texts = [e.trigger.text for e in doc._.sl_events]
    assert "delivered a bizarre threat" in texts and "delivered" not in texts
    quake = next(e for e in doc._.sl_events if e.trigger.text == "earthquake")
    assert quake.type == "DISASTER" and quake.concept == "earthquake"


def test_reporting_verbs_are_statements(nlp):
    text = (
        '"We are ready," Foreign Minister John Miller said on Tuesday in an interview with the BBC. '
        '"Talks will continue," Miller added. "Nothing is decided," he said.'
    )
    doc = annotate(nlp, text)
    statements = [e for e in doc._.sl_events if e.type == "STATEMENT"]
    assert statements and all(e.trigger.text in ("said", "added") for e in statements)
    assert "John Miller" in who(doc, statements[0])
    assert not any(e.type != "STATEMENT" and e.trigger.text in ("said", "added") for e in doc._.sl_events)


def test_main_event_is_ranked_first(nlp):
    doc = annotate(nlp, "A powerful earthquake struck northern Chile on Tuesday. Officials said schools were closed.")
    ranked = sorted(doc._.sl_events, key=lambda e: e.salience)
    assert ranked[0].trigger.text in ("earthquake", "struck") and ranked[0].salience == 1


def test_mayor_is_not_may(nlp):
    """The hypothetical-head check matches lemmas, not word prefixes (issue 8)."""
    doc = annotate(nlp, "The mayor visited the flooded district on Monday.")
    (visit,) = [e for e in doc._.sl_events if e.trigger.text == "visited"]
    assert visit.modality == "asserted"


def test_meeting_noun_between_list(nlp):
    text = "Tuesday's meeting in Berlin between President Emmanuel Macron and Chancellor Olaf Scholz lasted an hour."
    doc = annotate(nlp, text)
    ev = find(doc, "CONSULT", "meeting")
    assert {"Emmanuel Macron", "Olaf Scholz"} <= who(doc, ev)


def test_events_have_provenance(nlp):
    doc = annotate(nlp, ARTICLE)
    for e in doc._.sl_events:
        assert e.span.check(ARTICLE) and e.trigger.check(ARTICLE)
        assert e.span.start <= e.trigger.start and e.trigger.end <= e.span.end


def test_all_caps_and_long_paragraph_do_not_crash(nlp):
    caps = "JOHN MILLER MET WITH SARAH JOHNSON IN LONDON ON MARCH 3, 2025 AND THREATENED FRANCE WITH TARIFFS."
    long_par = " ".join(["John Miller met with Sarah Johnson in London on March 3, 2025, and they talked."] * 300)
    for text in (caps, long_par):
        doc = annotate(nlp, text)
        for e in doc._.sl_events:
            assert e.span.check(text) and e.trigger.check(text)


# ------------------------------------------------------------------ the seeds (read, never copied)


@pytest.fixture(scope="session")
def seed_docs(nlp, seeds_dir):
    return {p.name: annotate(nlp, p.read_text(encoding="utf-8"), p.stem) for p in sorted(seeds_dir.glob("*.txt"))}


def dated(doc, typ: str, day: str):
    return [e for e in doc._.sl_events if e.type == typ and e.when is not None and e.when.value == day]


@pytest.mark.seeds
def test_seed_000_call(seed_docs):
    doc = seed_docs[SEED_000]
    (call,) = dated(doc, "CONSULT", "2025-04-02")
    assert call.mode == "phone call"
    assert {"José Manuel Albares", "Marco Rubio"} <= who(doc, call)


@pytest.mark.seeds
def test_seed_001_landau_call(seed_docs):
    doc = seed_docs[SEED_001]
    calls = [e for e in dated(doc, "CONSULT", "2025-03-28") if e.mode == "phone call"]
    assert calls and all({"Christopher Landau", "Diego Martínez Belío"} <= who(doc, c) for c in calls)
    assert any(e.type == "CONSULT" and e.repeat for e in doc._.sl_events)  # "will meet again"
    text = doc._.sl_document.text
    bilateral = [e for e in doc._.sl_events if e.trigger.text == "meeting" and text[: e.trigger.start].endswith("bilateral ")]
    assert bilateral and all(e.modality != "asserted" for e in bilateral)  # "whether there will be", "was not possible"


@pytest.mark.seeds
def test_seed_002_threat_and_003_meeting(seed_docs):
    doc = seed_docs[SEED_002]
    threat = find(doc, "THREATEN", "threatened")
    assert {"Spain"} <= who(doc, threat) and any("Trump" in n for n in who(doc, threat))
    doc = seed_docs[SEED_003]
    (meet,) = dated(doc, "CONSULT", "2025-04-03")
    names = {e.key: e.name for e in doc._.sl_entities}
    assert {"Marco Rubio", "Mark Rutte"} <= who(doc, meet) and names.get(meet.where) == "Brussels"


@pytest.mark.seeds
def test_seed_events_have_provenance(seed_docs, seeds_dir):
    for name, doc in seed_docs.items():
        text = (seeds_dir / name).read_text(encoding="utf-8")
        assert doc._.sl_events, name
        for e in doc._.sl_events:
            assert e.span.check(text) and e.trigger.check(text)


# ------------------------------------------------------------------ dates tied to the clause


def when_of(ev) -> str | None:
    return ev.when.value if ev.when is not None else None


def test_conjoined_verb_shares_the_date(nlp):
    doc = annotate(nlp, "Chile's foreign ministry summoned the Peruvian ambassador on March 9, 2025 and asked "
                        "the Organization of American States to mediate.")
    assert when_of(find(doc, "DISAPPROVE", "summoned")) == "2025-03-09"
    assert when_of(find(doc, "DEMAND", "asked")) == "2025-03-09"


def test_event_noun_subject_of_took_place(nlp):
    doc = annotate(nlp, "The talks between Anna Kovacs and Pedro Silva took place on May 4, 2025 and ended without a deal.")
    assert when_of(find(doc, "CONSULT", "talks")) == "2025-05-04"


def test_relative_clause_in_which_takes_the_call_date(nlp):
    doc = annotate(nlp, "On June 2, 2025, Anna Kovacs held a phone call with Pedro Silva in which she urged "
                        "Brazil to lower its tariffs.")
    assert when_of(find(doc, "CONSULT", "call")) == "2025-06-02"
    assert when_of(find(doc, "DEMAND", "urged")) == "2025-06-02"


def test_back_reference_to_an_earlier_dated_meeting(nlp):
    text = ("Anna Kovacs met Pedro Silva in Geneva on May 4, 2025. During the session, Kovacs criticized Brazil "
            "for its water policy. \"We made progress,\" Silva said after the meeting.")
    doc = annotate(nlp, text)
    assert when_of(find(doc, "DISAPPROVE", "criticized")) == "2025-05-04"
    said = [e for e in doc._.sl_events if e.type == "STATEMENT" and "Pedro Silva" in who(doc, e)]
    assert said and when_of(said[0]) == "2025-05-04" and said[0].time == find(doc, "CONSULT", "met").time


def test_ambiguous_back_reference_stays_unknown(nlp):
    text = ("Anna Kovacs spoke with Pedro Silva by phone on May 2, 2025. Kovacs also spoke with Maria Lopes by phone "
            "on May 6, 2025. During the call, Kovacs criticized Brazil.")
    doc = annotate(nlp, text)
    assert when_of(find(doc, "DISAPPROVE", "criticized")) is None


@pytest.mark.parametrize(
    "text,typ,trigger",
    [
        # a date in another sentence
        ("Anna Kovacs arrived in Geneva on May 4, 2025. She criticized Brazil for its water policy.", "DISAPPROVE", "criticized"),
        # a "since" clause dates the taking of office, not the calls
        ("Since taking office on January 21, 2025, Anna Kovacs has held phone calls with Pedro Silva.", "CONSULT", "calls"),
        # a duration is no date
        ("Anna Kovacs met Pedro Silva for two hours.", "CONSULT", "met"),
        # the date belongs to the reported meeting, not to the statement
        ("Anna Kovacs said Pedro Silva met Maria Lopes on May 4, 2025.", "STATEMENT", "said"),
        # a relative clause about the speaker
        ("Anna Kovacs, who arrived in Geneva on May 4, 2025, criticized Brazil.", "DISAPPROVE", "criticized"),
    ],
)
def test_unknown_beats_wrong_dates(nlp, text, typ, trigger):
    doc = annotate(nlp, text)
    assert when_of(find(doc, typ, trigger)) is None


@pytest.mark.seeds
def test_seed_dates_through_clause_and_back_reference(seed_docs):
    doc = seed_docs[SEED_001]
    assert when_of(find(doc, "DEMAND", "asked")) == "2025-03-28"  # "this conversation, in which ..."
    doc = seed_docs[SEED_003]
    assert when_of(find(doc, "STATEMENT", "expressed")) == "2025-04-03"  # "during the session"
    assert when_of(find(doc, "SUPPORT", "praised")) is None  # no date in its sentence


@pytest.mark.seeds
def test_seed_events_in_dated_reports_are_bounded(seed_docs):
    """Issue 8: in a report whose publication date is known, every event told as done has at least an
    upper bound; one told as planned or expected starts no earlier than the report."""
    for name, doc in seed_docs.items():
        published = doc._.sl_published
        if published is None or published.when is None or not published.when.latest:
            continue
        for e in doc._.sl_events:
            if e.modality == "asserted":
                assert e.when is not None and (e.when.latest or e.when.value), (name, e.trigger.text)


@pytest.mark.seeds
def test_seed_spain_plans_to_end_its_command(seed_docs):
    """Issue 8: "Spain announced it would cease its leadership ... at the end of June" is a plan,
    dated June, never a withdrawal told as done."""
    doc = seed_docs[SEED_000]
    (cease,) = [e for e in doc._.sl_events if e.trigger.text == "cease"]
    assert cease.modality == "planned" and cease.when is not None and cease.when.value.startswith("2025-06")


def _dated_doc(nlp, text: str, day: str = "2024-03-20"):
    from storyline.model import Published, When

    doc = nlp.make_doc(text)
    doc._.sl_document = Document(id="t1", text=text, source="t1.txt", published=Published(When(day, day, day), "stated"))
    return nlp(doc)


def test_dates_that_count_from_the_event_before(nlp):
    """Issue 8: "the next day", "two days after the arrest", "a week later" count from the event told
    before, never from the report's date; the event counted from keeps its own date."""
    doc = _dated_doc(nlp, "Police arrested the suspect on March 3, 2024. He was charged the next day. "
                          "Two days after the arrest, he was released on bail. A week later, prosecutors dropped the case.")
    when = {e.trigger.text: e.when for e in doc._.sl_events}
    assert when["arrested"].value == "2024-03-03"
    assert when["charged"].value == "2024-03-04"
    assert when["released"].value == "2024-03-06"
    assert when["arrest"].value is None  # the arrest itself is not two days after the arrest
    assert when["dropped"].earliest <= "2024-03-13" <= when["dropped"].latest


def test_later_without_an_earlier_date_stays_unknown(nlp):
    doc = _dated_doc(nlp, "The company cut its forecast. A week later, its chief executive resigned.")
    (resign,) = [e for e in doc._.sl_events if e.trigger.text == "resigned"]
    assert resign.when is None or resign.when.value is None and resign.when.earliest is None


def test_a_date_in_a_name_is_not_a_date(nlp):
    """Issue 8: in "the Sept. 11 attacks bill", Sept. 11 names the attacks; it is not this year's."""
    doc = _dated_doc(nlp, "The Sept. 11 attacks bill passed the Senate on Tuesday.")
    (sept,) = [t for t in doc._.sl_times if t.span.text == "Sept. 11"]
    assert sept.when.value is None
    (passed,) = [e for e in doc._.sl_events if e.trigger.text == "passed"]
    assert passed.when.value == "2024-03-19"


def _events(doc):
    return doc._.sl_events


@pytest.mark.parametrize(
    "text, trigger, value",
    [
        ("The storm flattened two towns, killing 14 people and injuring 60, officials said.", "injuring", 60.0),
        ("The regional governor said 35 were hurt when the roof gave way.", "hurt", 35.0),
    ],
)
def test_a_bare_number_hurt_or_killed_counts_people(nlp, text, trigger, value):
    doc = annotate(nlp, text)
    (m,) = [m for m in _events(doc) if m.trigger.text == trigger]
    assert (m.count_value, m.count_of) == (value, "people")
    assert doc.text[m.count.start : m.count.end] == m.count.text


@pytest.mark.parametrize(
    "text",
    [
        "The 1997 quake killed more than 1, 400 people in the province.",  # a thousands number split by a space
        "The blast at 9: 05 a. m. injured 01 of the guards.",  # a leading zero: a clock time's tail
    ],
)
def test_no_count_from_a_number_that_may_be_a_fragment(nlp, text):
    doc = annotate(nlp, text)
    assert all(m.count_value not in (400.0, 1.0, 0.0) for m in _events(doc))


def test_a_phrasal_verb_takes_the_phrase_concept(nlp):
    doc = annotate(nlp, "The former mayor passed away at his home on Sunday. Police gunned down the attacker.")
    concepts = {m.trigger.text: m.concept for m in _events(doc)}
    assert concepts["passed"] == "death" and concepts["gunned"] == "shoot"


@pytest.mark.parametrize(
    "text, trigger, concept",
    [
        ("The flood claimed at least nine lives in the valley.", "claimed", "death"),
        ("A warehouse caught fire near the docks.", "caught", "fire"),
        ("The driver was taken into custody after the chase.", "taken", "arrest"),
        ("The sprinter set a record in the final.", "set", "record"),
    ],
)
def test_a_verb_and_its_object_name_one_happening(nlp, text, trigger, concept):
    doc = annotate(nlp, text)
    assert {m.trigger.text: m.concept for m in _events(doc)}[trigger] == concept


def test_a_word_alone_is_no_event(nlp):
    """An editor's section label on a line of its own ("UPDATE:") reads as a verb, but it reports no
    happening; the sentence after it does."""
    doc = annotate(nlp, "UPDATE:\n\nThe council voted on Tuesday to close the bridge for repairs.")
    triggers = [e.trigger.text for e in doc._.sl_events]
    assert "UPDATE" not in triggers and "voted" in triggers
