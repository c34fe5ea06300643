"""Attribution cues in a parsed sentence: which token reports someone's words or views, who that someone is,
and which clause is reported. Used by ``storyline_quotes``; pure functions over spaCy tokens.

A cue is ``according to``, a verb of ``storyline.lexicon.speech`` or a claim noun:

* ``REPORT_VERBS`` with a clausal complement (``X said (that) ...``, ``..., the people said``), or set in
  the middle of the clause they report (``The plan, he said, would fail``: the parser makes the verb a
  parenthetical of the clause);
* ``CLAIM_VERBS`` with a clausal complement and a subject (``a poll shows that ...``, ``she believes the law
  is fair``, ``he questioned whether ...``);
* ``INTENT_VERBS`` with an infinitive and no object (``vowed to veto the bill``; ``urged X to`` is a
  directive, not a claim);
* ``CLAIM_NOUNS`` with a possessor and a ``that`` clause (``the senator's view that ...``);
* the older patterns: ``X told reporters ...``, ``X expressed his hope that ...``, the emphasis verbs with an
  object (``X stressed the importance of ...``).

A negated verb (``did not say``) is no cue.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from spacy.strings import get_string_id
from spacy.symbols import NOUN, VERB

from ..lexicon.times import WEEKDAYS
from ..lexicon.speech import (
    CLAIM_NOUNS,
    CLAIM_VERBS,
    EMPHASIS_VERBS,
    HOPE_NOUNS,
    INTENT_VERBS,
    OBJECT_CUES,
    PREP_CUES,
    REPORT_VERBS,
    STANCE_VERBS,
    TELL_VERBS,
)
from ..lexicon.speech import NOT_SOURCES as NO_SOURCE

__all__ = ["when_word", "outermost", "is_cue", "is_source", "negated", "subject_of", "reported_clauses", "cue_text", "that_clause"]

TRAILING = frozenset(".,;:!?—–-\"'“”‘’()[]")


CUE_LEMMAS = CLAIM_VERBS | INTENT_VERBS | STANCE_VERBS | frozenset(PREP_CUES) | EMPHASIS_VERBS | TELL_VERBS


def negated(tok) -> bool:
    return any(c.dep_ == "neg" for c in tok.children) or any(
        c.dep_ == "neg" for a in tok.children if a.dep_ in ("aux", "auxpass") for c in a.children
    )


def _according(tok) -> bool:
    return tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to"


def is_cue(tok, lexicon=REPORT_VERBS) -> bool:
    """``according to``, a non-negated verb of ``lexicon`` or one that reports with its object (``as she put
    it``)."""
    if _according(tok):
        return True
    if tok.pos_ != "VERB" or negated(tok):
        return False
    lemma = tok.lemma_.lower()
    if lemma in OBJECT_CUES:
        return any(c.dep_ == "dobj" and c.lower_ == OBJECT_CUES[lemma] for c in tok.children)
    return lemma in lexicon


def cue_text(tok) -> str:
    return "according to" if tok.lower_ == "according" else tok.text


def subject_of(verb, depth: int = 0):
    """The token naming who speaks through ``verb`` (None when the parse gives none)."""
    if verb.lower_ == "according":
        for t in verb.subtree:
            if t.dep_ == "pobj":
                return t
        return None
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and not when_word(c)]
    if subjects:
        before = [c for c in subjects if c.i < verb.i]  # "5:45 p.m. Gary Johnson's doctor is calling ...": the nearer
        c = before[-1] if before else subjects[0]
        if c.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
            return verb.head
        return c
    if verb.dep_ == "relcl":
        return verb.head
    if depth < 3 and verb.dep_ in ("advcl", "xcomp", "conj", "pcomp", "acl") and verb.head.i != verb.i:
        head = verb.head
        while head.pos_ == "ADP" and head.head.i != head.i:  # "at the same time cautioning"
            head = head.head
        if head.pos_ in ("VERB", "AUX"):
            return subject_of(head, depth + 1)
    return None


def when_word(tok) -> bool:
    """A date or time the parser took for a subject ("X said Monday", "5:45 p.m. X is calling ...")."""
    return tok.ent_type_ in ("DATE", "TIME") or tok.lower_ in WEEKDAYS  # not months: "Theresa May said"


def that_clause(tok) -> bool:
    return any(m.lower_ == "that" and m.dep_ == "mark" for m in tok.children)


def clause_span(clause, skip=()) -> tuple[int, int] | None:
    """Characters of ``clause`` without a leading ``that``, edge punctuation and the tokens in ``skip``."""
    toks = [t for t in clause.subtree if t.i not in skip]
    while toks and (toks[0].dep_ == "mark" and toks[0].lower_ == "that" or toks[0].is_punct):
        toks = toks[1:]
    while toks and (toks[-1].text in TRAILING or toks[-1].is_space or toks[-1].dep_ == "cc"):
        toks = toks[:-1]
    if len(toks) < 3:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def is_source(subj) -> bool:
    return subj is not None and subj.lower_ not in NO_SOURCE and not subj.is_punct


def _clauses(tok) -> tuple[list, set[int]]:
    """(reported clauses, token indexes to leave out of them) for the cue ``tok``."""
    if _according(tok):
        return ([tok.head], {t.i for t in tok.subtree}) if tok.head.i != tok.i else ([], set())
    if tok.pos_ == "NOUN":
        if tok.lemma_.lower() in CLAIM_NOUNS and any(c.dep_ == "poss" for c in tok.children):
            return [c for c in tok.children if c.dep_ in ("acl", "ccomp") and that_clause(c)], set()
        return [], set()
    if tok.pos_ != "VERB" or negated(tok):
        return [], set()
    lemma = tok.lemma_.lower()
    report = lemma in REPORT_VERBS
    claim = lemma in CLAIM_VERBS
    if not (report or claim or lemma in INTENT_VERBS or lemma in STANCE_VERBS or lemma in PREP_CUES):
        return [], set()
    if not report and not is_source(subject_of(tok)):
        return [], set()
    clauses = [c for c in tok.children if c.dep_ == "ccomp"] if claim else []
    if lemma == "ask":  # a question asked ("asked whether ..."), not a request ("asked the ministry for help")
        clauses = [c for c in clauses if any(t.lower_ in ("whether", "if") or t.tag_ in ("WDT", "WP", "WRB")
                                             for t in c.subtree if t.i < c.i)]
    if clauses:
        return clauses, set()
    parenthetical = tok.dep_ == "parataxis" or tok.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ == "as" for c in tok.children
    )  # "The plan, he said, would fail", "The plan will fail, as critics have said"
    if report and parenthetical and tok.head.pos_ in ("VERB", "AUX") and is_source(subject_of(tok)):
        # "The plan, he said, would fail": the verb hangs inside the clause it reports
        if not any(c.dep_ in ("dobj", "xcomp") for c in tok.children):
            return [tok.head], {t.i for t in tok.subtree}
    if lemma in TELL_VERBS or lemma == "express":
        # "reassured allies that ...", "expressed his hope that ..."
        for o in tok.children:
            if o.dep_ == "dobj" and (lemma != "express" or o.lemma_.lower() in HOPE_NOUNS):
                clauses.extend(c for c in o.children if c.dep_ in ("acl", "ccomp", "relcl") and that_clause(c))
    if not clauses and lemma in EMPHASIS_VERBS and tok.tag_ != "VBG":
        clauses = [c for c in tok.children if c.dep_ in ("dobj", "xcomp")][:1]
    if not clauses and lemma in INTENT_VERBS and not any(c.dep_ in ("dobj", "dative") for c in tok.children):
        clauses = [c for c in tok.children if c.dep_ == "xcomp" and c.tag_ == "VB"][:1]
    if not clauses and lemma in STANCE_VERBS:
        clauses = [c for c in tok.children if c.dep_ == "dobj"][:1]
    if not clauses and lemma in PREP_CUES:
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in PREP_CUES[lemma]:
                clauses = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")][:1]
                break
    return clauses, set()


def _own_reports(clause) -> set[int]:
    """Tokens of the reports a clause runs on into (``said he would review it and warned against hackers``,
    ``..., arguing that ...``): each is its own attribution, not part of this one. Bounded by the sentence."""
    out: set[int] = set()
    for d in clause.subtree:
        if d.i != clause.i and d.dep_ in ("advcl", "conj") and d.pos_ == "VERB" and d.i not in out:
            lemma = d.lemma_.lower()
            if (d.dep_ == "conj" or d.tag_ == "VBG") and (
                lemma in CLAIM_VERBS or lemma in STANCE_VERBS or lemma in PREP_CUES or lemma in INTENT_VERBS
            ):
                out.update(t.i for t in d.subtree)
                out.update(t.i for t in d.lefts if t.dep_ == "cc" or t.is_punct)
    return out


def reported_clauses(doc, in_quote) -> list[tuple[int, int, Any, Any]]:
    """``(start, end, cue, speaker token)`` of each reported clause of ``doc`` whose cue is outside quote
    marks (``in_quote(start, end)`` says whether a stretch overlaps a quotation); the caller tells the
    clauses that hold quote marks apart and keeps the ``outermost`` of each kind."""
    out = []
    according = get_string_id("according")  # Token.lower is the id of the lower-case form
    for tok in doc:
        pos = tok.pos  # ids, not strings: this looks at every word of the document
        if pos == VERB:
            if tok.lemma_.lower() not in CUE_LEMMAS and tok.lower != according:
                continue
        elif pos == NOUN:
            if tok.lemma_.lower() not in CLAIM_NOUNS:
                continue
        elif tok.lower != according:
            continue
        if in_quote(tok.idx, tok.idx + 1):
            continue
        clauses, skip = _clauses(tok)
        for clause in clauses:
            span = clause_span(clause, skip | _own_reports(clause))
            if span is not None and clause.dep_ == "ccomp" and not any(
                c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in clause.children
            ):
                # "warned the costs could rise": the parser took the clause's subject for an object
                objs = [o for o in tok.children if o.dep_ == "dobj" and o.i < clause.i]
                if objs:
                    span = (objs[-1].left_edge.idx, span[1])
            if span is None:
                continue
            if tok.pos_ == "NOUN":
                speaker = next(c for c in tok.children if c.dep_ == "poss")
            else:
                speaker = subject_of(tok)
            out.append((span[0], span[1], tok, speaker))
    return out


def outermost(cands: list[tuple[int, int, Any, Any]]) -> list[tuple[int, int, Any, Any]]:
    """Leave out a clause whose cue lies inside another reported clause (``she said he plans to ...`` is
    her report). ``according to X`` and a verb set inside its own clause (``The plan, he said, would
    fail``) span a whole sentence and hold no other cue. Sorted starts and the largest end so far answer
    each cue in ``O(log n)``."""
    cands.sort(key=lambda c: (c[0], c[1]))
    starts = [c[0] for c in cands]
    reach: list[int] = []  # largest end of a holding clause starting at or before each candidate
    far = -1
    for s, e, cue, _ in cands:
        if cue.lower_ != "according" and not s <= cue.idx < e:
            far = max(far, e)
        reach.append(far)
    out = []
    for c in cands:
        i = bisect_right(starts, c[2].idx) - 1
        if i < 0 or reach[i] <= c[2].idx:
            out.append(c)
    return out
