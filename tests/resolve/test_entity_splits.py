"""One person, one entity across reports (issue 17): a surname beside the full name in its own
report, a nickname inside the name, a generational suffix; and the cases that must stay apart
(two full names the short form could mean, 'Jr.' and 'Sr.', two first names)."""

from __future__ import annotations

from resolve_builder import DocBuilder, build_all

from storyline.config import Settings
from storyline.resolve import resolve
from storyline.resolve.engine import SerialRunner, blocks_of, resolve_blocks
from storyline.resolve.names import nickname_forms, person_suffix, person_tokens


def test_name_parts_nickname_and_suffix():
    assert person_tokens('Gerardo "Jerry" Ortiz') == ("gerardo", "ortiz")
    assert person_tokens("Mark 'Deep Throat' Felt") == ("mark", "felt")
    assert person_tokens("Charles (Lucky) Luciano") == ("charles", "luciano")
    assert nickname_forms('Gerardo "Jerry" Ortiz') == [("jerry", "ortiz")]
    assert nickname_forms("Conan O'Brien") == []
    assert person_tokens("Conan O'Brien") == ("conan", "obrien")
    assert person_tokens("Arcade Joseph Comeaux Jr.") == ("arcade", "joseph", "comeaux")
    assert person_suffix("Arcade Joseph Comeaux Jr.") == "jr"
    assert person_tokens("Henry VIII") == ("henry", "viii")  # a regnal number with no surname stays
    assert person_suffix("Arcade Comeaux") is None


def _ids(res, *members):
    return [res.entity_of[m] for m in members]


def _marten_docs():
    # two people named Marten; undated reports, so nearness in time decides nothing
    a = DocBuilder("a", "Coach Ilse Marten resigned on Friday.")
    ia = a.ent("PERSON", "Ilse Marten")
    b = DocBuilder("b", "Piet Marten opened a bakery.")
    pb = b.ent("PERSON", "Piet Marten")
    c = DocBuilder("c", "Ilse Marten left the club. The board thanked Marten for ten years.")
    ic = c.ent("PERSON", "Ilse Marten")
    mc = c.ent("ORG", "Marten")  # the tagger's slip beside the full name
    d = DocBuilder("d", "Marten said nothing.")
    md = d.ent("PERSON", "Marten")
    e = DocBuilder("e", "Ilse Marten and her brother Piet Marten met. Marten left early.")
    ie = e.ent("PERSON", "Ilse Marten")
    pe = e.ent("PERSON", "Piet Marten")
    me = e.ent("PERSON", "Marten", name="Marten")
    return (a, b, c, d, e), (("a", ia), ("b", pb), ("c", ic), ("c", mc), ("d", md), ("e", ie), ("e", pe), ("e", me))


def test_surname_joins_the_one_full_name_of_its_own_report():
    docs, (ia, pb, ic, mc, md, ie, pe, me) = _marten_docs()
    res = resolve(*build_all(*docs))
    ilse, piet = res.entity_of[ia], res.entity_of[pb]
    assert ilse != piet
    assert _ids(res, ic, mc, ie) == [ilse] * 3
    assert res.entity_of[pe] == piet
    # a bare surname whose report names no one (or both) stays on its own: unknown beats wrong
    assert res.entity_of[md] not in (ilse, piet)
    assert res.entity_of[me] not in (ilse, piet)


def test_nickname_inside_a_name_joins_the_name_it_gives():
    a = DocBuilder("a", 'Gerardo "Jerry" Ortiz was shot outside his home.')
    ga = a.ent("PERSON", 'Gerardo "Jerry" Ortiz')
    b = DocBuilder("b", "Deputy Jerry Ortiz was remembered on Monday.")
    jb = b.ent("PERSON", "Jerry Ortiz")
    c = DocBuilder("c", "Gerardo Ortiz served 15 years.")
    gc = c.ent("PERSON", "Gerardo Ortiz")
    d = DocBuilder("d", "Mark 'Deep Throat' Felt died. W. Mark Felt was 95.")
    fd = d.ent("PERSON", "Mark 'Deep Throat' Felt", "W. Mark Felt")
    e = DocBuilder("e", "Mark Felt kept the secret for decades.")
    fe = e.ent("PERSON", "Mark Felt")
    f = DocBuilder("f", "W. Mark Felt was the FBI's deputy director.")
    ff = f.ent("PERSON", "W. Mark Felt")
    res = resolve(*build_all(a, b, c, d, e, f))
    assert len(set(_ids(res, ("a", ga), ("b", jb), ("c", gc)))) == 1
    assert len(set(_ids(res, ("d", fd), ("e", fe), ("f", ff)))) == 1


def test_two_first_names_without_a_nickname_stay_apart():
    b = DocBuilder("b", "Deputy Jerry Ortiz was remembered on Monday.")
    jb = b.ent("PERSON", "Jerry Ortiz")
    c = DocBuilder("c", "Gerardo Ortiz served 15 years.")
    gc = c.ent("PERSON", "Gerardo Ortiz")
    res = resolve(*build_all(b, c))
    assert res.entity_of[("b", jb)] != res.entity_of[("c", gc)]


def _suffix_docs():
    a = DocBuilder("a", "Arcade Joseph Comeaux Jr. escaped from custody.")
    ca = a.ent("PERSON", "Arcade Joseph Comeaux Jr.")
    b = DocBuilder("b", "Arcade Comeaux Jr. handcuffed the guards. Comeaux fled. Comeaux was armed.")
    cb = b.ent("PERSON", "Arcade Comeaux Jr.")
    ob = b.ent("ORG", "Comeaux")
    pb = b.ent("PERSON", "Comeaux", name="Comeaux")
    c = DocBuilder("c", "Arcade Jr. was caught in Houston.")
    jc = c.ent("PERSON", "Arcade Jr.")
    d = DocBuilder("d", "Donald Trump Jr. met a lawyer.")
    jd = d.ent("PERSON", "Donald Trump Jr.")
    e = DocBuilder("e", "President Donald J. Trump denied it.")
    te = e.ent("PERSON", "Donald J. Trump")
    f = DocBuilder("f", "Donald Trump spoke to reporters.")
    tf = f.ent("PERSON", "Donald Trump")
    g = DocBuilder("g", "Cal Ripken Jr. played 2,632 games in a row. Cal Ripken Sr. coached him.")
    jg = g.ent("PERSON", "Cal Ripken Jr.")
    sg = g.ent("PERSON", "Cal Ripken Sr.")
    h = DocBuilder("h", "Ripken was honoured in Baltimore.")
    rh = h.ent("PERSON", "Ripken")
    i = DocBuilder("i", "Special counsel Robert S. Mueller III filed charges.")
    mi = i.ent("PERSON", "Robert S. Mueller III")
    j = DocBuilder("j", "Robert Mueller declined to comment.")
    mj = j.ent("PERSON", "Robert Mueller")
    docs = (a, b, c, d, e, f, g, h, i, j)
    return docs, (("a", ca), ("b", cb), ("b", ob), ("b", pb), ("c", jc), ("d", jd), ("e", te), ("f", tf),
                  ("g", jg), ("g", sg), ("h", rh), ("i", mi), ("j", mj))


def test_generational_suffix_is_not_the_surname_and_jr_is_not_sr():
    docs, members = _suffix_docs()
    res = resolve(*build_all(*docs))
    ca, cb, ob, pb, jc, jd, te, tf, jg, sg, rh, mi, mj = _ids(res, *members)
    assert ca == cb == ob == pb == jc  # 'Arcade Jr.' too: the one Arcade with that suffix
    # a full name with 'Jr.' is never the same name without it: the father is not written 'Sr.'
    assert jd != te and te == tf
    assert len({jg, sg, rh}) == 3  # the bare surname could be either: neither
    assert mi == mj  # a number is dropped in the next report


def _context_docs():
    # two Vossbergs, undated; reports that name no Vossberg in full but name someone else
    a = DocBuilder("a", "Senator Hal Vossberg met Governor Ana Kiri.")
    ha = a.ent("PERSON", "Hal Vossberg")
    ka = a.ent("PERSON", "Ana Kiri")
    b = DocBuilder("b", "Striker Tom Vossberg scored twice for coach Ben Oduya.")
    tb = b.ent("PERSON", "Tom Vossberg")
    ob = b.ent("PERSON", "Ben Oduya")
    c = DocBuilder("c", "Ana Kiri thanked Vossberg for the vote.")
    c.ent("PERSON", "Ana Kiri")
    vc = c.ent("PERSON", "Vossberg")
    d = DocBuilder("d", "Vossberg was late.")
    vd = d.ent("PERSON", "Vossberg")
    e = DocBuilder("e", "Ana Kiri and Ben Oduya both praised Vossberg.")
    e.ent("PERSON", "Ana Kiri")
    e.ent("PERSON", "Ben Oduya")
    ve = e.ent("PERSON", "Vossberg")
    docs = (a, b, c, d, e)
    return docs, (("a", ha), ("a", ka), ("b", tb), ("b", ob), ("c", vc), ("d", vd), ("e", ve))


def test_surname_joins_the_one_full_name_whose_reports_name_the_same_people():
    docs, members = _context_docs()
    res = resolve(*build_all(*docs))
    hal, _, tom, _, vc, vd, ve = _ids(res, *members)
    assert hal != tom
    assert vc == hal  # 'Ana Kiri' is named beside Hal Vossberg, never beside Tom
    assert vd not in (hal, tom)  # a report naming no one: unknown
    assert ve not in (hal, tom)  # names people of both: unknown


def test_split_rules_resolve_the_same_in_parts():
    for docs, members in (_marten_docs(), _suffix_docs(), _context_docs()):
        records, anns = build_all(*docs)
        whole = resolve(records, anns)
        runner = SerialRunner()
        parts = resolve_blocks(blocks_of(records, anns, runner, 2), runner, Settings(), 3)
        assert {m: parts.entity_of[m] for m in members} == {m: whole.entity_of[m] for m in members}
        assert [e.id for e in parts.entities] == [e.id for e in whole.entities]
