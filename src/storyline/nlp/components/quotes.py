"""storyline_quotes: direct, mixed and indirect quotes with their speakers.

* **direct**: words between quote marks (``storyline.nlp.quotemarks``) that
  stand as an utterance of their own: at a sentence start, or after a colon or
  comma. One utterance quoted in pieces in one paragraph (``"X," he said,
  "Y."``, ``"X," he said. "Y."``: the later piece with no cue of its own) is one
  quote running from X to Y, cue included: one attribution, as PolNeAR counts it.
* **mixed**: quoted words embedded in the writer's own sentence (``described the
  talks as "very cordial"``, ``said the army is the best guarantee given "the
  reality on the ground."``). The span is the quoted words only: they are what
  the source can be checked against. With no reporting verb, the verb they hang
  on gives the speaker (``called the plan a "disaster"``).
* **indirect**: the reported clauses of ``storyline.nlp.attribution``: a
  reporting or claim verb with a clausal complement (``X said (that) ...``,
  ``..., the people said``, ``a poll shows that ...``, ``The plan, he said,
  would fail``), an intention with its infinitive (``vowed to veto it``),
  ``according to X, ...``, ``X's view that ...``. A clause whose cue lies in
  another reported clause is part of that report. Clauses that hold quote marks
  are left to the quote they hold.

Speakers come from the cue (``storyline.nlp.quotecues``: a reporting verb
after or before the quote, with the speaker's name and an apposition before it
(``"...," X, the mayor of Y, said``), ``according to``, ``as X put it``, a colon
line introducing it, a label and a colon opening its line (a headline's ``X:
'...'``, a transcript's turn), the verb quoted words hang on (``rated it as
"..."`` too), or the reported clause that holds them) through the parse: the verb's subject (the
nearest, never a date), the passive agent, the subject of the verb a participle
hangs on (``praised X, saying, "..."``: past clauses in quote marks, relative
clauses and where-clauses), the noun a ``who`` clause describes.
The speaker's words map to an entity with ``util.entity_at``. A he/she speaker
is given only when one antecedent fits (``storyline.nlp.speakers``): the speaker
of the quote just before in the same paragraph when nobody else is named since;
else the one person, gender permitting, named outside quote marks in its
sentence or the one before (the speaker just quoted counts too, unless this
paragraph makes someone else its subject); nobody when several fit; the entity
recogniser's chain or the most recent PERSON subject when none is named. A
singular role noun (``the minister``) goes to the speaker of the immediately
preceding quote when it lies within the two previous sentences, or to the most
recent PERSON subject whose name the role noun was seen with; otherwise the
speaker stays None and ``speaker_span`` keeps the words. A quote without a cue
continues the immediately preceding quote's speaker when that quote is at most
two sentences back, or when it is the next paragraph of a quotation running
over paragraphs; never into a paragraph that makes someone else its subject
(``For his part, X was blunt. "..."`` is X's; nobody's when several are).

``according to`` an organisation (``the U.S. State Department``) gives that
organisation as the speaker when entities found it; the words stay in
``speaker_span`` either way.

``when`` is the When of a DATE/TIME expression hanging on the cue verb at most
two steps away in the parse (``said Tuesday``, ``said on Tuesday``), when known.

Cost is linear in the document: windows are bounded, lookups bisect sorted
indexes (entity mentions included: ``_Mentions`` answers like ``util.entity_at``),
and ``doc.text`` (rebuilt by spaCy on every access) is read once.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.language import Language

from ...lexicon.speech import REPORT_VERBS
from ...model import Quote, Span, When
from ..attribution import cue_text, outermost, reported_clauses
from ..speakers import People, gender_of_pronoun
from ..quotecues import PRONOUNS, ROLE_NOUNS
from ..quotecues import Cand as _Cand
from ..quotecues import QuoteDoc as _Doc
from ..quotecues import quote_candidates as _quote_candidates
from ..util import doc_id, strip_span

__all__ = ["find_quotes", "REPORT_VERBS", "ROLE_NOUNS"]

SPEAKER_TYPES = ("PERSON", "ORG", "GPE", "NORP")
PRONOUN_SENTENCES = 1  # earlier sentences searched for a pronoun's antecedents, besides its own (ledger)


def _indirect_candidates(ctx: _Doc, quoted: list[tuple[int, int]]) -> tuple[list[_Cand], list[_Cand]]:
    """(reported clauses free of quote marks, clauses that hold some: left to the quotes they hold)."""
    starts = [q[0] for q in quoted]

    def in_quote(s: int, e: int) -> bool:
        # top-level pairs are disjoint and sorted: only the last one opening before ``e`` can overlap
        i = bisect_left(starts, e) - 1
        return i >= 0 and quoted[i][1] > s

    free: list[tuple] = []
    holders: list[tuple] = []
    for clause in reported_clauses(ctx.doc, in_quote):
        (holders if in_quote(clause[0], clause[1]) else free).append(clause)
    return [_Cand(s, e, "indirect", cue, speaker) for s, e, cue, speaker in outermost(free)], [
        _Cand(s, e, "indirect", cue, speaker) for s, e, cue, speaker in outermost(holders)
    ]


def _held_by(cands: list[_Cand], holders: list[_Cand]) -> None:
    """Quoted words inside someone's reported clause are that report's (``X said the ad "wrongly"
    suggests ...`` is X's): the clause's cue and speaker. Both lists are sorted by start; holders are
    outermost, so they do not nest."""
    k = 0
    for c in cands:
        if c.kind != "mixed":
            continue
        while k < len(holders) and holders[k].end <= c.start:
            k += 1
        if k < len(holders) and holders[k].start <= c.start and c.end <= holders[k].end + 1:
            c.verb, c.speaker_tok = holders[k].verb, holders[k].speaker_tok


# ------------------------------------------------------------------ speakers


def _name_chunk(tok) -> tuple[int, int]:
    """Characters of ``tok`` with the compound / flat words of its name (a common noun alone:
    "the top US diplomat" must not become the US)."""
    if tok.pos_ not in ("PROPN",):
        return tok.idx, tok.idx + len(tok.text)
    left = tok
    for c in tok.lefts:
        if c.dep_ in ("compound", "flat") and c.i < left.i:
            left = c
    right = tok
    for c in tok.rights:
        if c.dep_ in ("compound", "flat"):
            right = c
    return left.idx, right.idx + len(right.text)


def _speaker_words(tok) -> tuple[int, int]:
    """Characters of the words naming the speaker: the noun phrase without clauses."""
    drop = {"relcl", "acl", "advcl", "parataxis", "prep"}
    toks = [tok]
    stack = [c for c in tok.children if c.dep_ not in drop]
    while stack:
        c = stack.pop()
        toks.append(c)
        stack.extend(g for g in c.children if g.dep_ not in ("relcl", "acl", "advcl", "parataxis"))
    toks.sort(key=lambda t: t.i)
    # keep the contiguous run around the head
    lo = hi = toks.index(tok)
    while lo > 0 and toks[lo - 1].i == toks[lo].i - 1:
        lo -= 1
    while hi + 1 < len(toks) and toks[hi + 1].i == toks[hi].i + 1:
        hi += 1
    run = [t for t in toks[lo : hi + 1]]
    while run and (run[-1].is_punct or run[-1].dep_ == "cc"):
        run.pop()
    while run and run[0].is_punct:
        run.pop(0)
    if not run:  # the speaker is itself punctuation or a stray conjunction: cite the head alone
        return tok.idx, tok.idx + len(tok.text)
    return run[0].idx, run[-1].idx + len(run[-1].text)


class _Mentions:
    """``util.entity_at`` over a sorted index: same answer (longest overlap wins), without
    scanning every mention for every lookup, so long documents stay linear."""

    def __init__(self, doc):
        rows = []
        self.entities = list(doc._.sl_entities or ())
        for n, ent in enumerate(self.entities):
            for m in ent.mentions:
                rows.append((m.span.start, m.span.end, n))
        rows.sort()
        self.rows = rows
        self.starts = [r[0] for r in rows]
        self.longest = max((r[1] - r[0] for r in rows), default=0)
        self.surnames: dict[str, set[str]] = {}
        for ent in self.entities:
            if ent.type == "PERSON":
                for name in (ent.name, *ent.aliases):
                    if name.split():
                        self.surnames.setdefault(name.split()[-1], set()).add(ent.key)

    def at(self, start: int, end: int, types: tuple[str, ...]):
        best, best_len = None, 0
        i = bisect_left(self.starts, start - self.longest)
        while i < len(self.rows) and self.rows[i][0] < end:
            ms, me, n = self.rows[i]
            overlap = min(end, me) - max(start, ms)
            ent = self.entities[n]
            if overlap > best_len and ent.type in types:
                best, best_len = ent, overlap
            i += 1
        return best


def _entity_for(tok, doc, index: _Mentions) -> str | None:
    heads = [tok] + [c for c in tok.children if c.dep_ == "appos"]
    for t in heads:
        s, e = _name_chunk(t)
        ent = index.at(s, e, SPEAKER_TYPES)
        if ent is not None:
            return ent.key
    for t in heads:  # a surname the recogniser missed here but found elsewhere in the document
        if t.pos_ == "PROPN" or t.i > 0 and t.is_title:
            same = index.surnames.get(t.text, set())
            if len(same) == 1:
                return next(iter(same))
    return None


def _role_noun(tok) -> bool:
    if tok.pos_ != "NOUN" or tok.tag_ != "NN" or tok.lemma_.lower() not in ROLE_NOUNS:
        return False
    return any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in ("the", "this")) for c in tok.children)


class _Salience:
    """PERSON entities named as grammatical subjects, in text order."""

    def __init__(self, ctx: _Doc, index: _Mentions):
        self.ctx = ctx
        self.items: list[tuple[int, int, str]] = []  # (char, sentence, key)
        persons = {e.key: e for e in ctx.doc._.sl_entities or () if e.type == "PERSON"}
        self.persons = persons
        for tok in ctx.doc:
            if tok.dep_ not in ("nsubj", "nsubjpass") or any(c.dep_ == "conj" for c in tok.children):
                continue
            if tok.pos_ != "PROPN":
                continue
            s, e = _name_chunk(tok)
            ent = index.at(s, e, ("PERSON",))
            if ent is not None:
                self.items.append((tok.idx, ctx.sent_index(tok.idx), ent.key))
        self.starts = [i[0] for i in self.items]

    def subjects(self, lo: int, hi: int) -> list[str]:
        """People named as subjects in ``lo:hi``, in order, once each."""
        out: list[str] = []
        i = bisect_left(self.starts, lo)
        while i < len(self.items) and self.items[i][0] < hi:
            if self.items[i][2] not in out:
                out.append(self.items[i][2])
            i += 1
        return out

    def recent(self, char: int, within: int = 4) -> str | None:
        i = bisect_right(self.starts, char - 1) - 1
        if i < 0:
            return None
        pos, sent, key = self.items[i]
        return key if self.ctx.sent_index(char) - sent <= within else None

    def seen_with(self, key: str, role: str) -> bool:
        ent = self.persons.get(key)
        if ent is None:
            return False
        words = " ".join((ent.name, *ent.aliases, *ent.descriptions)).lower()
        if role in words.split():
            return True
        for m in ent.mentions:
            lead = self.ctx.text[max(0, m.span.start - 60) : m.span.start].lower()
            if role in lead.split():
                return True
        return False


def _times_by_verb(doc) -> dict[int, When]:
    """Token index of the verb each TimeExpr modifies -> its When (first one wins)."""
    out: dict[int, When] = {}
    for t in doc._.sl_times or ():
        if t.type not in ("DATE", "TIME") or not t.when.known:
            continue
        tok = doc.char_span(t.span.start, t.span.end, alignment_mode="expand")
        if tok is None:
            continue
        node = tok.root
        for _ in range(2):  # "said Tuesday", "said on Tuesday"; not "said on his way to the two-day meeting"
            if node.head.i == node.i:
                break
            node = node.head
            if node.pos_ in ("VERB", "AUX") or node.lower_ == "according":
                out.setdefault(node.i, t.when)
                break
    return out


def _join_interrupted(cands: list[_Cand], ctx: _Doc) -> list[_Cand]:
    """One utterance quoted in pieces is one quote: ``"X," he said, "Y."`` and ``"X," he said. "Y."`` in one
    paragraph (the second piece with no cue of its own, or the same cue) run from X to Y; so do quoted
    words that one verb reports in one sentence (``called him a "bully" and a "liar"``)."""
    out: list[_Cand] = []
    for c in cands:
        last = out[-1] if out else None
        if last is None or last.pair is None or c.pair is None or last.kind != c.kind or c.kind == "indirect":
            out.append(c)
            continue
        same_cue = c.verb is not None and last.verb is not None and c.verb.i == last.verb.i
        if c.kind == "direct":
            join = (c.verb is None or same_cue) and "\n" not in ctx.text[last.end : c.start]
        else:
            join = (same_cue or c.verb is None and last.verb is None) and ctx.sent_index(last.end) == ctx.sent_index(
                c.start
            )
        if join:
            last.end = c.end
            if last.verb is None or last.speaker_tok is None:
                last.verb, last.speaker_tok = last.verb or c.verb, c.speaker_tok
            continue
        out.append(c)
    return out


@dataclass
class _Prev:
    """The previous quote: the sentence and paragraph it ends in, its end, its speaker."""

    sent: int
    speaker: str | None
    para: int
    end: int


def _pronoun_speaker(tok, resolved, prev: _Prev | None, prev_person, ctx: _Doc, people: People, salience):
    """A he/she speaker, only when one antecedent fits: the speaker of the quote just before in the same
    paragraph when nobody else is named since; else the one person (gender permitting) named in this
    sentence or the one before; nobody when several are; the old guesses when none is."""
    gender = gender_of_pronoun(tok.text)
    if prev_person and prev is not None and prev.para == ctx.para_index(tok.idx):
        others = [k for k in people.named(prev.end, tok.idx) if k != prev_person and people.fits(k, gender, tok.idx)]
        if not others and people.fits(prev_person, gender, tok.idx):
            return prev_person
    sent = ctx.sent_index(tok.idx)
    fit = people.fitting(ctx.sent_starts[max(0, sent - PRONOUN_SENTENCES)], tok)
    para = ctx.para_index(tok.idx)
    if (
        prev_person
        and prev is not None
        and prev_person not in fit
        and people.fits(prev_person, gender, tok.idx)
        and (prev.para == para or prev.para == para - 1 and not salience.subjects(ctx.paras[para][0], tok.idx))
    ):
        fit.append(prev_person)  # the speaker just quoted, unless this paragraph is about someone else
    if len(fit) > 1:
        return None
    if fit:
        return fit[0]
    return resolved or salience.recent(tok.idx)


def _carried(c: _Cand, prev: _Prev, ctx: _Doc, salience) -> str | None:
    """A quote with no cue of its own continues the previous speaker, unless someone else is the subject of
    a sentence since (in its own paragraph when it opens a new one): then that person when only one is,
    nobody when several are (``For his part, X was blunt. "..."`` is X's)."""
    para = ctx.para_index(c.start)
    lo = prev.end if prev.para == para else ctx.paras[para][0]
    named = [k for k in salience.subjects(lo, c.start) if k != prev.speaker]
    if not named:
        return prev.speaker
    return named[0] if len(named) == 1 else None


def find_quotes(doc) -> list[Quote]:
    """Every direct, mixed and indirect quote of ``doc``, in text order, ids ``q0, q1, ...``."""
    ctx = _Doc(doc)
    quoted = _quote_candidates(ctx)
    marks = sorted((c.pair.open, c.pair.close) for c in quoted if c.pair is not None)
    free, holders = _indirect_candidates(ctx, marks)
    _held_by(quoted, holders)
    cands = _join_interrupted(sorted(quoted + free, key=lambda c: (c.start, c.end)), ctx)
    index = _Mentions(doc)
    salience = _Salience(ctx, index)
    times = _times_by_verb(doc)
    did = doc_id(doc)
    opens = [m[0] for m in marks]

    def inside_marks(char: int) -> bool:
        i = bisect_right(opens, char) - 1
        return i >= 0 and marks[i][0] < char < marks[i][1]

    people = People(doc._.sl_entities, inside_marks)
    out: list[Quote] = []
    prev: _Prev | None = None
    for c in cands:
        sent = ctx.sent_index(c.start)
        recent = prev is not None and sent - prev.sent <= 2
        speaker, words = None, None
        if c.speaker_tok is not None and c.verb is not None and ctx.para_index(c.speaker_tok.idx) != ctx.para_index(c.verb.idx):
            c.speaker_tok = None  # the parse ran a sentence over a paragraph break
        if c.speaker_tok is not None:
            s, e = _speaker_words(c.speaker_tok)
            s, e = strip_span(ctx.text, s, e)
            words = Span(did, s, e, ctx.text[s:e])  # doc.text is rebuilt on every access: read it once
            has_conj = any(t.dep_ == "conj" for t in c.speaker_tok.children)
            speaker = None if has_conj else _entity_for(c.speaker_tok, doc, index)
            prev_person = prev.speaker if prev is not None and recent and prev.speaker in salience.persons else None
            if not has_conj and c.speaker_tok.lower_ in PRONOUNS:
                speaker = _pronoun_speaker(c.speaker_tok, speaker, prev, prev_person, ctx, people, salience)
            elif speaker is None and not has_conj and _role_noun(c.speaker_tok):
                if prev_person:
                    speaker = prev_person
                else:
                    cand = salience.recent(c.speaker_tok.idx)
                    if cand and salience.seen_with(cand, c.speaker_tok.lemma_.lower()):
                        speaker = cand
        elif c.verb is None and prev is not None and not c.naming and (recent or c.continues):
            speaker = _carried(c, prev, ctx, salience)
        when = times.get(c.verb.i) if c.verb is not None else None
        out.append(
            Quote(
                span=Span(did, c.start, c.end, ctx.text[c.start : c.end]),
                id=f"q{len(out)}",
                kind=c.kind,
                speaker=speaker,
                speaker_span=words,
                cue=cue_text(c.verb) if c.verb is not None else None,
                when=when,
            )
        )
        last = max(c.start, c.end - 1)
        prev = _Prev(ctx.sent_index(last), speaker, ctx.para_index(last), c.end)
    return out


@Language.factory(
    "storyline_quotes",
    assigns=["doc._.sl_quotes"],
    requires=["doc._.sl_entities", "doc._.sl_times"],
)
def make_quotes(nlp, name):
    def component(doc):
        doc._.sl_quotes = find_quotes(doc)
        return doc

    return component
