"""storyline_figures and the pure number parser: own invented articles, the
seeds' done-when, and inputs that must not crash or go quadratic."""

from __future__ import annotations


import pytest

from storyline.config import Settings
from storyline.model import Document
from storyline.nlp.build import build_pipeline
from storyline.nlp.numbers import find_quantities, parse_number

SEED_000 = "000_b905ca77b33b56a9.txt"
SEED_003 = "003_d9be2b8724f4b280.txt"
SEED_004 = "004_20b55c1b7fd79981.txt"


@pytest.fixture(scope="session")
def nlp():
    return build_pipeline(Settings())


def annotate(nlp, text: str, doc_id: str = "t0"):
    doc = nlp.make_doc(text)
    doc._.sl_document = Document(id=doc_id, text=text, source=f"{doc_id}.txt")
    return nlp(doc)


def names(doc) -> dict[str, str]:
    return {e.key: e.name for e in doc._.sl_entities}


def by_text(doc, text: str, n: int = 1):
    hits = [f for f in doc._.sl_figures if f.span.text == text]
    assert len(hits) >= n, f"no figure {text!r} #{n} in {[f.span.text for f in doc._.sl_figures]}"
    return hits[n - 1]


# ------------------------------------------------------------------ numbers.py


@pytest.mark.parametrize(
    "text,value",
    [("11,000", 11000.0), ("1.28", 1.28), ("four", 4.0), ("twenty-five", 25.0), ("two hundred", 200.0),
     ("20 billion", 20e9), ("5bn", 5e9), ("3.5 million", 3.5e6), ("a few", None), ("", None)],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text,figure,value,unit,qualifier",
    [
        ("over $20 billion in aid", "$20 billion", 20e9, "USD", "over"),
        ("a €5bn package", "€5bn", 5e9, "EUR", None),
        ("just 1.28% of GDP", "1.28%", 1.28, "percent", "just"),
        ("north of 3%", "3%", 3.0, "percent", "north of"),
        ("up to 5 percent", "5 percent", 5.0, "percent", "up to"),
        ("£300 million", "£300 million", 3e8, "GBP", None),
        ("40 million euros", "40 million euros", 4e7, "EUR", None),
        ("approximately 30 minutes", "30 minutes", 30.0, "minutes", "approximately"),
        ("more than 2,500 people", "2,500", 2500.0, None, "more than"),
    ],
)
def test_find_quantities(text, figure, value, unit, qualifier):
    (q,) = list(find_quantities(text))
    assert text[q.start : q.end] == figure
    assert q.value == pytest.approx(value)
    assert q.unit == unit and q.qualifier == qualifier


@pytest.mark.parametrize("text", ["hundreds of billions of euros", "thousands of troops", "2025-04-03", "Covid-19",
                                  "a 12-year-old pupil", "a one-on-one meeting", "at 10:30", "the 1st round",
                                  "5G masts", "F-16 jets", "a 7-3 win"])
def test_no_quantity_in_vague_or_glued_numbers(text):
    assert list(find_quantities(text)) == []


# ------------------------------------------------------------------ the component on our own article

ARTICLE = (
    "Lisbon, Portugal. In 2023, Portugal's defence spending was recorded at 1.6% of GDP, among the lowest in the "
    "alliance. The government has pledged to reach 2% of GDP by 2030. Finance Minister Ana Costa suggested that "
    "the budget should be raised to 3%. NATO members have provided more than €4bn in aid to Ukraine since "
    "January 2024, and 1,200 Portuguese soldiers serve abroad. The talks lasted about 45 minutes."
)


def test_figures_on_own_article(nlp):
    doc = annotate(nlp, ARTICLE)
    keys = names(doc)
    gdp = by_text(doc, "1.6%")
    assert (gdp.value, gdp.unit, gdp.period, gdp.status) == (1.6, "percent_of_gdp", "2023", "actual")
    assert "defence spending" in gdp.about and keys.get(gdp.subject) == "Portugal"
    target = by_text(doc, "2%")
    assert (target.unit, target.status, target.period) == ("percent_of_gdp", "target", "by 2030")
    prop = by_text(doc, "3%")
    assert prop.status == "proposal" and keys.get(prop.speaker) == "Ana Costa"
    money = by_text(doc, "€4bn")
    assert (money.value, money.unit, money.qualifier) == (4e9, "EUR", "more than")
    troops = by_text(doc, "1,200")
    assert (troops.value, troops.unit) == (1200.0, "count") and "soldiers" in troops.about
    talks = by_text(doc, "45 minutes")
    assert (talks.value, talks.unit, talks.qualifier) == (45.0, "minutes", "about")
    assert [f.id for f in doc._.sl_figures] == [f"f{i}" for i in range(len(doc._.sl_figures))]


def test_estimate_and_speaker_in_quote(nlp):
    text = '"It is my assumption that the bill will be north of 7%," Finance Minister Ana Costa said on Monday.'
    doc = annotate(nlp, text)
    fig = by_text(doc, "7%")
    assert fig.status == "estimate" and fig.qualifier == "north of"
    assert names(doc).get(fig.speaker) == "Ana Costa"


def test_years_dates_ordinals_and_times_are_not_figures(nlp):
    text = ("On 12 May 2024 the third round of talks began at 10:30 in Geneva. In 2023 and again in March 2025 "
            "the two delegations met for the first time. The one thing they agreed on was a two-day summit.")
    doc = annotate(nlp, text)
    assert doc._.sl_figures == []


def test_every_figure_has_provenance(nlp):
    doc = annotate(nlp, ARTICLE)
    assert doc._.sl_figures
    for f in doc._.sl_figures:
        assert f.span.check(ARTICLE) and f.span.doc == "t0"


# ------------------------------------------------------------------ robustness


def test_all_caps_and_table_do_not_crash(nlp):
    caps = "SPAIN SPENT 1.3% OF GDP ON DEFENCE IN 2024 AND SENT 650 TROOPS, OVER $20 BILLION IN TOTAL."
    table = "\n".join(f"{y}\t{n},000\t{p}.5%\t${n} billion" for y, n, p in zip(range(2000, 2040), range(10, 50), range(40), strict=False))
    for text in (caps, table):
        doc = annotate(nlp, text)
        for f in doc._.sl_figures:
            assert f.span.check(text)
        assert not any(f.span.text.startswith(("20", "203")) and f.unit == "count" and len(f.span.text) == 4
                       for f in doc._.sl_figures)


def test_number_scan_on_a_long_paragraph():
    chunk = "Officials said 1,200 soldiers and over $3 billion in aid, or 2% of GDP, arrived in 2024. "
    small, big = chunk * 1200, chunk * 12000  # ~100 KB and ~1 MB, one paragraph
    n_small = sum(1 for _ in find_quantities(small))
    n_big = sum(1 for _ in find_quantities(big))
    assert n_big == 10 * n_small


# ------------------------------------------------------------------ the seeds (read, never copied)


@pytest.fixture(scope="session")
def seed_docs(nlp, seeds_dir):
    return {p.name: annotate(nlp, p.read_text(encoding="utf-8"), p.stem) for p in sorted(seeds_dir.glob("*.txt"))}


@pytest.mark.seeds
def test_seed_000_figures(seed_docs):
    doc = seed_docs[SEED_000]
    keys = names(doc)
    f = by_text(doc, "1.28%")
    assert (f.value, f.unit, f.period, f.status) == (1.28, "percent_of_gdp", "2024", "actual")
    assert keys.get(f.subject) == "Spain" and "defense spending" in f.about
    f = by_text(doc, "2%")
    assert (f.status, f.period, f.unit) == ("target", "by 2029", "percent_of_gdp")
    assert by_text(doc, "11,000").unit == "count" and "military personnel" in by_text(doc, "11,000").about
    assert by_text(doc, "650").value == 650.0
    assert not any(f.span.text in ("2024", "2029", "2025", "20", "31", "2") for f in doc._.sl_figures)


@pytest.mark.seeds
def test_seed_003_and_004_figures(seed_docs):
    doc = seed_docs[SEED_003]
    money = by_text(doc, "$20 billion")
    assert (money.value, money.unit, money.qualifier) == (20e9, "USD", "over")
    assert "NATO" in names(doc).get(money.subject, "")
    soldiers = by_text(doc, "four")
    assert (soldiers.value, soldiers.unit) == (4.0, "count")
    doc = seed_docs[SEED_004]
    est = by_text(doc, "3%")
    assert (est.qualifier, est.status) == ("north of", "estimate")
    assert "Rutte" in names(doc).get(est.speaker, "")


@pytest.mark.seeds
def test_seed_figures_have_provenance(seed_docs, seeds_dir):
    for name, doc in seed_docs.items():
        text = (seeds_dir / name).read_text(encoding="utf-8")
        for f in doc._.sl_figures:
            assert f.span.check(text)


# ------------------------------------------------------------------ rates, measure verbs, sources


def test_rate_after_figure():
    from storyline.nlp.numbers import rate_after

    text = "losses of $3 million a day and 2% per year, 5 dayside"
    assert rate_after(text, text.index(" a day")) == (text.index("a day"), text.index("a day") + 5, "day")
    assert rate_after(text, text.index(" per year"))[2] == "year"
    assert rate_after(text, text.index(" dayside")) is None


def test_cost_of_a_stoppage_reads_the_same_across_wordings(nlp):
    a = annotate(nlp, "The Rivermouth Port Board said the blockade was costing the economy $30 million a day.")
    b = annotate(nlp, "The Rivermouth Port Board now puts the cost of the blockade at $18 million a day.", "t1")
    fa, fb = by_text(a, "$30 million"), by_text(b, "$18 million")
    assert fa.about == fb.about == "cost of the blockade a day"
    assert fa.period is None and fb.period is None  # "a day" is a rate, "now" no period
    assert fa.subject is None and fb.subject is None  # the board estimates, it does not pay
    board_a, board_b = names(a)[fa.speaker], names(b)[fb.speaker]
    assert board_a == board_b == "Rivermouth Port Board"


def test_losses_keep_their_owner(nlp):
    doc = annotate(nlp, "Harbor Freight Lines reported losses of $4 million a day in 2024.")
    f = by_text(doc, "$4 million")
    assert f.about == "losses a day" and names(doc)[f.subject] == "Harbor Freight Lines" and f.period == "2024"


@pytest.mark.parametrize(
    "text",
    [
        "The gunman opened fire at about 10 p. m. on Friday, police said.",  # text rejoined from tokens
        "The crash happened at 7:01 p.m. near the bridge.",
        "Officers arrived at 10: 30 a. m. and found the door open.",
    ],
)
def test_clock_times_are_not_figures(nlp, text):
    doc = annotate(nlp, text)
    assert doc._.sl_figures == []


# ------------------------------------------------------------------ what a figure counts (issue 19)


@pytest.mark.issue(19)
@pytest.mark.parametrize(
    "text, figure, value, unit",
    [
        ("a four-year lease", "four-year", 4.0, "years"),
        ("an eight - month tour", "eight - month", 8.0, "months"),
        ("a 900-mile canal", "900-mile", 900.0, "miles"),
        ("rents fell two percentage points", "two percentage points", 2.0, "percentage_points"),
        ("he ran 1,200 yards", "1,200 yards", 1200.0, "yards"),
        ("a $40-million stadium", "$40-million", 4e7, "USD"),
    ],
)
def test_joined_and_measure_units(text, figure, value, unit):
    (q,) = list(find_quantities(text))
    assert (text[q.start : q.end], q.value, q.unit) == (figure, pytest.approx(value), unit)


@pytest.mark.issue(19)
def test_a_joined_count_word_is_kept_for_the_parse():
    (q,) = list(find_quantities("a five-match winning run"))
    assert (q.value, q.unit, q.joined) == (5.0, None, "match")


@pytest.mark.issue(19)
def test_what_a_sum_counts_is_the_noun_it_sizes_not_a_neighbour(nlp):
    doc = annotate(
        nlp,
        "The Ferndale Rovers gave their striker a three-year extension and a signing bonus worth $2 million. "
        "Households with incomes of more than $90,000 would pay a 3 percent levy on top of the usual charge. "
        "The harbour authority seized a barge loaded with $6 million of copper wire.",
    )
    assert by_text(doc, "three-year").about == "extension"
    assert by_text(doc, "$2 million").about == "signing bonus"
    assert by_text(doc, "$90,000").about == "incomes"
    assert by_text(doc, "3 percent").about == "levy"
    assert by_text(doc, "$6 million").about == "copper wire"


@pytest.mark.issue(19)
def test_a_sum_a_money_verb_moves_is_named_by_the_verb(nlp):
    doc = annotate(nlp, "The Oakridge Fund raised $12 million in March, and its founder donated $3 million to a shelter.")
    assert by_text(doc, "$12 million").about == "raised"
    assert by_text(doc, "$3 million").about == "donated"


@pytest.mark.issue(19)
def test_a_figure_in_a_relative_clause_measures_its_antecedent(nlp):
    doc = annotate(nlp, "The sales tax, which at 9 percent is the steepest in the region, funds the buses.")
    assert by_text(doc, "9 percent").about == "sales tax"


@pytest.mark.issue(19)
def test_a_figure_that_is_the_subject_takes_no_object_as_what_it_counts(nlp):
    doc = annotate(nlp, "The poorest 40 percent would face higher fares under the plan.")
    assert by_text(doc, "40 percent").about == ""


@pytest.mark.issue(19)
def test_a_negated_measure_is_kept_with_its_unit_and_marked(nlp):
    doc = annotate(nlp, "The mayor said the barrier will not be a 300-mile steel fence along the river.")
    f = by_text(doc, "300-mile")
    assert (f.value, f.unit, f.about, f.status) == (300.0, "miles", "steel fence", "negated")


@pytest.mark.issue(19)
def test_durations_that_date_another_figure_are_not_figures(nlp):
    doc = annotate(nlp, "The levy would bring in $40 million over 10 years and the bridge took 6 years to build.")
    texts = [f.span.text for f in doc._.sl_figures]
    assert "10 years" not in texts and "$40 million" in texts


@pytest.mark.issue(19)
def test_small_number_words_count_unless_they_refer_back(nlp):
    doc = annotate(
        nlp,
        "Coast guards stopped two trawlers near the cape. The two captains were questioned, "
        "and one of them was fined. Another crew lost one net.",
    )
    counts = {(f.span.text, f.about) for f in doc._.sl_figures}
    assert ("two", "trawlers") in counts and ("one", "net") in counts
    assert not any(about == "captains" for _, about in counts)
    assert len([f for f in doc._.sl_figures if f.span.text == "one"]) == 1


@pytest.mark.issue(19)
def test_counts_through_a_scale_or_a_model_name_and_possessive_sets(nlp):
    doc = annotate(
        nlp,
        "About 12 million viewers watched, and the navy seized five F-16 jets. "
        "The striker scored in his 40 league games. The ferry was 9 nautical miles out. "
        "The hearings are 45 minutes in duration.",
    )
    assert (by_text(doc, "12 million").value, by_text(doc, "12 million").about) == (12e6, "viewers")
    assert by_text(doc, "five").about == "jets"
    assert "40" not in [f.span.text for f in doc._.sl_figures]  # "his 40 league games": a known set
    assert by_text(doc, "9 nautical miles").unit == "nautical_miles"
    assert by_text(doc, "45 minutes").about == "hearings"


@pytest.mark.issue(19)
def test_done_is_not_a_target_and_a_bound_is_not_a_denial(nlp):
    doc = annotate(
        nlp,
        "The Larkin Trust has committed $4 million to the clinic. The mayor never took questions from fewer "
        "than five reporters. The council will not approve a 12 percent rise.",
    )
    assert by_text(doc, "$4 million").status == "actual"
    assert by_text(doc, "five").status != "negated"
    assert by_text(doc, "12 percent").status == "negated"


@pytest.mark.issue(17)
def test_a_distance_that_places_something_is_about_nothing(nlp):
    text = "Pirates fired on the tanker 150 nautical miles west of Aden. The Gulf wall would run 2,000 miles."
    doc = annotate(nlp, text)
    assert by_text(doc, "150 nautical miles").about == ""  # a position: nothing two reports could size differently
    assert by_text(doc, "2,000 miles").unit == "miles" and by_text(doc, "2,000 miles").about
