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

Speakers come from the cue (a reporting verb after or before the quote, or
``according to``) through the parse: the verb's subject, the passive agent, the
subject of the verb a participle hangs on (``praised X, saying, "..."``), the
noun a ``who`` clause describes. The speaker's words map to an entity with
``util.entity_at``. A pronoun (he, she) or singular role noun (``the
minister``) that ``storyline_entities`` did not resolve goes to the speaker of
the immediately preceding quote when it lies within the two previous sentences,
else (pronouns) to the most recent PERSON subject of the last four sentences, or
(role nouns) to such a person whose name the role noun was seen with; otherwise
the speaker stays None and ``speaker_span`` keeps the words. A quote without a
cue continues the immediately preceding quote's speaker when that quote is at
most two sentences back, or when it is the next paragraph of a quotation
running over paragraphs.

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

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from spacy.language import Language

from ...lexicon.speech import QUOTE_VERBS, REPORT_VERBS
from ...model import Quote, Span
from ..attribution import cue_text, is_cue, is_source, outermost, reported_clauses, subject_of, when_word
from ..speakers import People, gender_of_pronoun
from ..quotemarks import QuotePair, pair_quotes, paragraphs
from ..util import doc_id, strip_span

__all__ = ["find_quotes", "REPORT_VERBS", "ROLE_NOUNS"]

SPEAKER_TYPES = ("PERSON", "ORG", "GPE", "NORP")
ROLE_NOUNS = frozenset(
    "minister diplomat secretary president chancellor premier spokesman spokeswoman spokesperson ambassador "
    "envoy leader chief general head director ceo chairman chairwoman chair commissioner senator governor "
    "mayor lawmaker negotiator adviser advisor official king queen prince pope master captain coach".split()
)
PRONOUNS = frozenset({"he", "she"})
TITLE_SMALL = frozenset("a an the of and or in on at to for with by from vs".split())
NAMING_WORDS = frozenset("as called dubbed named titled entitled so-called nicknamed labelled labeled known".split())
DIRECT_BEFORE = set(".!?:,;—–([") | set("”’\"'")
TRANSCRIPT_LABEL = re.compile(r"[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,2}(:)\s+")
NP_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "ADP", "PART", "NUM"})
SIGN_DASHES = "―—"  # a quotation signed with its author's name
MAX_WINDOW = 16
TITLE_MAX_WORDS = 8  # a quoted name longer than this is not a title (ledger)
SCARE_MAX_WORDS = 3  # scare quotes: a word or two inside a noun phrase (ledger)
TAG_WINDOW = 2  # tokens after the closing mark within which "asked", "shouted" ... tag a quotation (ledger)
PRONOUN_SENTENCES = 1  # earlier sentences searched for a pronoun's antecedents, besides its own (ledger)  # tokens searched for a cue after a quote


@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    verb: Any = None  # cue token (reporting verb or "according")
    speaker_tok: Any = None
    pair: QuotePair | None = None
    continues: bool = False  # next paragraph of a quotation running over paragraphs
    naming: bool = False  # "so-called", "dubbed": a name, not speech


class _Doc:
    """Per-document lookups: token and sentence at a character, bounded windows."""

    def __init__(self, doc):
        self.doc = doc
        self.text = doc.text
        self.tok_starts = [t.idx for t in doc]
        self.sents = list(doc.sents)
        self.sent_starts = [s.start_char for s in self.sents]
        self.paras = paragraphs(self.text)
        self.para_starts = [p[0] for p in self.paras]

    def token_at(self, char: int):
        i = bisect_right(self.tok_starts, char) - 1
        return self.doc[i] if 0 <= i < len(self.doc) else None

    def sent_index(self, char: int) -> int:
        return max(0, bisect_right(self.sent_starts, char) - 1)

    def para_index(self, char: int) -> int:
        return max(0, bisect_right(self.para_starts, char) - 1)

    def tokens(self, start: int, end: int):
        """Tokens starting in ``start:end``."""
        i = bisect_right(self.tok_starts, start - 1)
        while i < len(self.doc) and self.doc[i].idx < end:
            yield self.doc[i]
            i += 1


# ------------------------------------------------------------------ cues and subjects


def _fallback_subject(cue, lo: int, hi: int, ctx: _Doc):
    """Speaker words next to a cue the parse did not link: ``," the minister added``, ``said Albares``."""
    before = [t for t in ctx.tokens(lo, cue.idx) if not t.is_punct and not t.is_space]
    if before and all(t.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "PRON", "NUM") for t in before):
        return before[-1]
    for t in ctx.tokens(cue.idx + len(cue.text), hi):
        if t.pos_ in ("PROPN", "PRON") or (t.pos_ == "NOUN" and t.lemma_.lower() in ROLE_NOUNS):
            nxt = t
            while nxt.i + 1 < len(t.doc) and nxt.doc[nxt.i + 1].dep_ in ("compound", "flat") and nxt.doc[nxt.i + 1].head.i > nxt.i:
                nxt = nxt.doc[nxt.i + 1]
            return nxt if nxt.pos_ != "PRON" or nxt.lower_ in PRONOUNS else None
        if t.is_punct:
            break
    return None


def _after_cue(pair: QuotePair, next_open: int, ctx: _Doc):
    """A cue right after the closing mark: ``"...," he said`` / ``"...," said X`` / ``according to X``."""
    text = ctx.text
    last = text[pair.end - 1] if pair.end > pair.start else ""
    j = pair.close
    while j < len(text) and text[j] in " \t":
        j += 1
    nxt = text[j] if j < len(text) else ""
    if not nxt or nxt == "\n":
        return None, None
    if nxt in SIGN_DASHES:
        return _signed(j, ctx)
    if last == "." and not (nxt == "," or nxt.islower()):
        return None, None
    first = ctx.token_at(j)
    if first is None:
        return None, None
    sent = ctx.sents[ctx.sent_index(first.idx)]
    hi = min(sent.end_char, next_open)
    words, np_only = 0, True
    for n, t in enumerate(ctx.tokens(j, hi)):
        if n >= MAX_WINDOW or t.text in ".!?":
            break
        if t.pos_ == "CCONJ":
            break  # '"...", but the US demands', '"..." to the test and warned': the sentence goes on, no tag
        words += not t.is_punct
        # other tag verbs right after the quote or after its speaker's noun phrase: '"...?" Graham asked',
        # '"...?" a narrator in the ad asks'
        tag = n <= TAG_WINDOW or t.tag_ in ("VBD", "VBZ", "VBP") and np_only
        np_only = np_only and (t.pos_ in NP_POS or t.is_punct and not words)
        if is_cue(t) or tag and is_cue(t, QUOTE_VERBS):
            subj = subject_of(t)
            if subj is not None and when_word(subj):  # '"...," X said Monday'
                subj = None
            if subj is None or (subj.i < first.i - 1 and t.lower_ != "according"):  # subject inside the quote
                subj = _fallback_subject(t, j, hi, ctx)
            return t, subj
    return None, None


def _signed(j: int, ctx: _Doc):
    """A quotation signed with a dash and a name (``"..." ― Ana Ruiz``): the dash is the cue."""
    dash = ctx.token_at(j)
    if dash is None or dash.idx != j:
        return None, None
    name = None
    for t in ctx.tokens(j + 1, ctx.paras[ctx.para_index(j)][1]):
        if t.is_space:
            continue
        if t.pos_ != "PROPN" or not t.text[0].isupper():
            break
        name = t
    return (dash, name) if name is not None else (None, None)


def _labelled(pair: QuotePair, ctx: _Doc):
    """A quotation after a name and a colon that open its line (``Pence: Trump Was 'Mocking' Them``, a
    headline's way of naming the speaker): the colon is the cue, the name the speaker."""
    lo = ctx.paras[ctx.para_index(pair.open)][0]
    colon = ctx.text.find(":", lo, pair.open)
    if colon < 0:
        return None, None
    head = [t for t in ctx.tokens(lo, colon) if not t.is_space]
    if not head or len(head) > 4 or not all(t.pos_ == "PROPN" or t.is_punct for t in head):
        return None, None
    names = [t for t in head if t.pos_ == "PROPN"]
    return (ctx.token_at(colon), names[-1]) if names else (None, None)


def _colon_cue(pair: QuotePair, ctx: _Doc):
    """A quotation opening a paragraph after one that ends with a colon (``Caddell continued:``): the
    colon's sentence gives the cue (its reporting verb, else its main verb) and the speaker."""
    k = ctx.para_index(pair.open)
    if k == 0 or ctx.text[ctx.paras[k][0] : pair.open].strip():
        return None, None
    lo, hi = ctx.paras[k - 1]
    head = ctx.text[lo:hi].rstrip()
    if not head.endswith(":"):
        return None, None
    colon = ctx.token_at(lo + len(head) - 1)
    if colon is None:
        return None, None
    sent = ctx.sents[ctx.sent_index(colon.idx)]
    cues = [t for t in ctx.tokens(max(lo, sent.start_char), colon.idx) if is_cue(t, QUOTE_VERBS)]
    verb = cues[-1] if cues else sent.root
    if verb.pos_ not in ("VERB", "AUX"):
        return None, None
    subj = subject_of(verb)
    return (verb, subj) if subj is not None and is_source(subj) else (None, None)


def _before_cue(pair: QuotePair, prev_close: int, ctx: _Doc):
    """A cue earlier in the quote's sentence: ``He stated, "..."``, ``described as 'x' by Y``."""
    text = ctx.text
    k = pair.open - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    if k < 0 or text[k] in ".!?\n" or text[k] in "”\"" and k + 1 <= prev_close:
        return None, None
    first = ctx.token_at(pair.start)
    sent = ctx.sents[ctx.sent_index(pair.open)]
    lo = max(sent.start_char, prev_close, ctx.paras[ctx.para_index(pair.open)][0])
    cues = [t for t in ctx.tokens(lo, pair.open) if is_cue(t)]
    tag = _last_word(ctx, lo, pair.open)
    if not cues and tag is not None and is_cue(tag, QUOTE_VERBS):  # 'Zero Hedge asked, "..."'
        cues = [tag]
    if not cues:
        return None, None
    chosen = None
    if first is not None:
        ancestors = {a.i for a in first.ancestors}
        governing = [c for c in cues if c.i in ancestors]
        chosen = governing[-1] if governing else None
    chosen = chosen or cues[-1]
    subj = subject_of(chosen)
    if subj is None and chosen.i + 1 < len(ctx.doc) and chosen.nbor().pos_ == "PROPN":  # 'Said Ellis: "..."'
        subj = _fallback_subject(chosen, chosen.idx, pair.open, ctx)
    return chosen, subj


def _last_word(ctx: _Doc, lo: int, hi: int):
    """The last word before ``hi`` (a colon or comma between it and ``hi`` allowed), or None."""
    tok = ctx.token_at(hi - 1)
    while tok is not None and tok.idx >= lo and (tok.is_punct or tok.is_space) and tok.i > 0:
        if tok.text not in (",", ":") and not tok.is_space and tok.text not in "\"'“‘":
            return None
        tok = tok.doc[tok.i - 1]
    return tok if tok is not None and tok.idx >= lo and not tok.is_punct else None


def _kind(pair: QuotePair, text: str) -> str:
    k = pair.open - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return "direct" if k < 0 or text[k] == "\n" or text[k] in DIRECT_BEFORE else "mixed"


def _naming(pair: QuotePair, ctx: _Doc) -> bool:
    tok = ctx.token_at(max(0, pair.open - 1))
    while tok is not None and tok.i > 0 and (tok.is_punct or tok.is_space):
        tok = tok.doc[tok.i - 1]
    return tok is not None and tok.lower_ in NAMING_WORDS


def _governing(pair: QuotePair, ctx: _Doc):
    """Quoted words inside the writer's sentence with no reporting verb: the verb they hang on and its
    subject (``called the plan a "disaster"``, ``criticized the law as a "crazy system"``)."""
    first = ctx.token_at(pair.start)
    if first is None:
        return None, None
    for verb in first.ancestors:
        if verb.pos_ == "VERB":
            subj = subject_of(verb)
            if subj is None or not is_source(subj) or pair.open <= subj.idx < pair.close:
                return None, None
            if subj.pos_ == "PRON" and subj.lower_ not in PRONOUNS:  # "they", "we": the previous speaker's
                return None, None
            return verb, subj
    return None, None


def _words(pair: QuotePair, ctx: _Doc) -> list:
    return [t for t in ctx.tokens(pair.start, pair.end) if t.is_alpha or t.like_num]


def _title(pair: QuotePair, ctx: _Doc) -> bool:
    """A name in quote marks (``CNN's "State of the Union"``, ``the documentary "13th"``, ``titled
    "Arrogant"``): every word capitalised, after a possessive, ``of``, ``on``, a naming participle or a
    noun. After ``as`` or ``a`` it is a nickname someone gave (``called him "The Comeback Kid"``)."""
    words = _words(pair, ctx)
    if not words or len(words) > TITLE_MAX_WORDS:
        return False
    if not all(t.text[0].isupper() or t.like_num or t.lower_ in TITLE_SMALL for t in words):
        return False
    before = ctx.token_at(max(0, pair.open - 1))
    while before is not None and before.i > 0 and (before.is_punct or before.is_space) and before.idx >= pair.open - 2:
        before = before.doc[before.i - 1]
    if before is None or before.idx + len(before.text) > pair.open:
        return False
    low = before.lower_
    if before.pos_ in ("NOUN", "PROPN"):  # the noun the quoted name stands beside: "the documentary "13th""
        return any(t.head.i == before.i for t in words)
    return before.tag_ in ("POS", "PRP$") or low in ("of", "on", "titled", "entitled", "dubbed", "named")


def _scare(pair: QuotePair, ctx: _Doc) -> bool:
    """A word or two in quote marks inside a noun phrase (``the "sex tape" reference``, ``the
    "fact-checking" website``): the writer's distance, not anyone's words."""
    words = _words(pair, ctx)
    if not words or len(words) > SCARE_MAX_WORDS:
        return False
    after = ctx.token_at(pair.close)
    while after is not None and after.i + 1 < len(after.doc) and after.idx < pair.close + 1 and after.is_punct:
        after = after.doc[after.i + 1]
    return after is not None and after.pos_ == "NOUN" and words[-1].head.i == after.i


# ------------------------------------------------------------------ candidates


def _quote_candidates(ctx: _Doc) -> list[_Cand]:
    pairs = [p for p in pair_quotes(ctx.text) if p.depth == 0]
    out: list[_Cand] = []
    prev_close, prev_capped = 0, False
    for n, p in enumerate(pairs):
        if not any(ch.isalpha() for ch in ctx.text[p.start : p.end]):
            continue
        if _kind(p, ctx.text) == "mixed" and (_title(p, ctx) or _scare(p, ctx)):
            prev_close, prev_capped = p.close, p.capped
            continue
        next_open = pairs[n + 1].open if n + 1 < len(pairs) else len(ctx.text)
        start = p.start
        label = TRANSCRIPT_LABEL.match(ctx.text, p.start, min(p.end, p.start + 40))
        if label:  # a transcript's turn: '"WALLACE: Let's start with ..."'
            start = label.end()
            verb, subj = ctx.token_at(label.start(1)), ctx.token_at(label.start(1) - 1)
        else:
            verb, subj = _after_cue(p, next_open, ctx)
        if verb is None:
            verb, subj = _before_cue(p, prev_close, ctx)
        kind = _kind(p, ctx.text)
        if verb is None and kind == "mixed" and not _naming(p, ctx):
            verb, subj = _governing(p, ctx)
        elif verb is None and kind == "direct":
            verb, subj = _colon_cue(p, ctx)
        if verb is None:
            verb, subj = _labelled(p, ctx)
        end = p.end
        while end > p.start and ctx.text[end - 1] in ",;:":
            end -= 1
        cand = _Cand(start, end, kind, verb, subj, p)
        cand.continues = prev_capped and verb is None
        cand.naming = verb is None and _naming(p, ctx)
        out.append(cand)
        prev_close, prev_capped = p.close, p.capped
    return out


def _indirect_candidates(ctx: _Doc, quoted: list[tuple[int, int]]) -> tuple[list[_Cand], list[_Cand]]:
    """(reported clauses free of quote marks, clauses that hold some: left to the quotes they hold)."""
    starts = [q[0] for q in quoted]

    def in_quote(s: int, e: int) -> bool:
        # top-level pairs are disjoint and sorted: only the last one opening before ``e`` can overlap
        i = bisect_left(starts, e) - 1
        return i >= 0 and quoted[i][1] > s

    free, holders = [], []
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


def _times_by_verb(doc) -> dict[int, object]:
    """Token index of the verb each TimeExpr modifies -> its When (first one wins)."""
    out: dict[int, object] = {}
    for t in doc._.sl_times or ():
        if t.type not in ("DATE", "TIME") or not t.when.known:
            continue
        tok = doc.char_span(t.span.start, t.span.end, alignment_mode="expand")
        if tok is None:
            continue
        node = tok.root
        for _ in range(2):  # "said Tuesday", "said on Tuesday"; not "said on his way to the two-day meeting"
            if node.head is node:
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

    def quoted(char: int) -> bool:
        i = bisect_right(opens, char) - 1
        return i >= 0 and marks[i][0] < char < marks[i][1]

    people = People(doc._.sl_entities, quoted)
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
