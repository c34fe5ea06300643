"""Quotations in quote marks and their cues: the per-document context (tokens, sentences, paragraphs at
a character), the cue of each quotation (a reporting verb after or before it, the speaker's name and an
apposition before that verb, a colon line, a label opening the line, the verb that quoted words hang on)
and the quoted stretches that are not quotations at all (titles, scare quotes). Used by
``storyline_quotes``; pure functions over spaCy tokens, each window bounded."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import islice
from typing import Any

from ..lexicon.speech import NAMING_WORDS, QUOTE_VERBS, ROLE_NOUNS, TITLE_SMALL
from .attribution import is_cue, is_source, subject_of, when_word
from .quotemarks import QuotePair, pair_quotes, paragraphs
from .util import doc_text, sentences

__all__ = ["Cand", "QuoteDoc", "quote_candidates", "ROLE_NOUNS", "PRONOUNS"]

PRONOUNS = frozenset({"he", "she"})
DIRECT_BEFORE = set(".!?:,;—–([") | set("”’\"'")
TRANSCRIPT_LABEL = re.compile(r"[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,2}(:)\s+")
NP_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "ADP", "PART", "NUM"})
LABEL_CHARS = 60  # a speaker label before a colon at a line's start is shorter than this
LABEL_WORDS = 8  # ... and has at most this many words (ledger)
MAX_WINDOW = 16  # tokens searched for a cue after a quote
APPOS_WORDS = 30  # tokens of an apposition between a quotation's speaker and its verb (ledger)
NAME_WORDS = 5  # words of a speaker's name right after a quotation
TITLE_MAX_WORDS = 8  # a quoted name longer than this is not a title (ledger)
SCARE_MAX_WORDS = 3  # scare quotes: a word or two inside a noun phrase (ledger)
PARTICIPLE_STEPS = 8  # heads climbed from a participle cue to the clause whose subject speaks
TAG_WINDOW = 2  # tokens after the closing mark within which "asked", "shouted" ... tag a quotation (ledger)




@dataclass
class Cand:
    start: int
    end: int
    kind: str
    verb: Any = None  # cue token (reporting verb or "according")
    speaker_tok: Any = None
    pair: QuotePair | None = None
    continues: bool = False  # next paragraph of a quotation running over paragraphs
    naming: bool = False  # "so-called", "dubbed": a name, not speech


class QuoteDoc:
    """Per-document lookups: token and sentence at a character, bounded windows."""

    def __init__(self, doc):
        self.doc = doc
        self.text = doc_text(doc)
        self.tok_starts = [t.idx for t in doc]
        self.sents = list(sentences(doc))
        self.sent_starts = [s.start_char for s in self.sents]
        self.paras = paragraphs(self.text)
        self.para_starts = [p[0] for p in self.paras]
        self._marks: list[tuple[int, int]] | None = None
        self._opens: list[int] = []

    def quoted(self, char: int) -> bool:
        """``char`` lies between a pair of quote marks."""
        if self._marks is None:
            self._marks = [(p.open, p.close) for p in pair_quotes(self.text) if p.depth == 0]
            self._opens = [m[0] for m in self._marks]
        i = bisect_right(self._opens, char) - 1
        return i >= 0 and self._marks[i][0] < char < self._marks[i][1]

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


def _fallback_subject(cue, lo: int, hi: int, ctx: QuoteDoc):
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


def _after_cue(pair: QuotePair, next_open: int, ctx: QuoteDoc):
    """A cue right after the closing mark: ``"...," he said`` / ``"...," said X`` / ``according to X``."""
    text = ctx.text
    last = text[pair.end - 1] if pair.end > pair.start else ""
    j = pair.close
    while j < len(text) and text[j] in " \t":
        j += 1
    nxt = text[j] if j < len(text) else ""
    if not nxt or nxt == "\n":
        return None, None
    if last == "." and not (nxt == "," or nxt.islower()):
        return None, None
    first = ctx.token_at(j)
    if first is None:
        return None, None
    sent = ctx.sents[ctx.sent_index(first.idx)]
    hi = min(sent.end_char, next_open)
    verb, name = _apposed(first, hi, ctx)
    if verb is not None:
        return verb, name
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


def _apposed(first, hi: int, ctx: QuoteDoc):
    """A name right after the quotation, an apposition between commas, then the reporting verb
    (``"...," Ana Ruiz, the mayor of Lyon and a lawyer, said``): the name is the speaker, whatever the
    parse made of the long noun phrase."""
    toks = list(islice(ctx.tokens(first.idx, hi), APPOS_WORDS + NAME_WORDS + 3))
    k = 0
    while k < len(toks) and (toks[k].pos_ == "PROPN" or k and toks[k].text == "-"):  # 'Holtz-Eakin'
        k += 1
    if k == 0 or k > NAME_WORDS or k >= len(toks) or toks[k].text != ",":
        return None, None
    for m in range(k + 1, len(toks) - 1):
        if toks[m].text in ".!?;":
            break
        if toks[m].text == ",":
            verb = toks[m + 1]
            if verb.pos_ == "ADV" and m + 2 < len(toks):  # ', recently said'
                verb = toks[m + 2]
            if is_cue(verb, QUOTE_VERBS):
                return verb, toks[k - 1]
    return None, None


def _labelled(pair: QuotePair, ctx: QuoteDoc):
    """A label and a colon that open the quotation's line name its speaker; the colon is the cue. Before the
    quote mark, a headline's way (``Pence: Trump Was 'Mocking' Them``, ``A lesson from Ana Ruiz: 'Keep
    going'``): the label's first person or organisation, else the label itself when it is a bare name or a
    name on a topic (``Ruiz on trade:``). Right after the mark, a transcript's turn (``"HOST: Will you
    ..."``): the capitalised label. Returns (cue, speaker, where the quoted words start)."""
    turn = TRANSCRIPT_LABEL.match(ctx.text, pair.start, min(pair.end, pair.start + LABEL_CHARS))
    if turn:
        return ctx.token_at(turn.start(1)), ctx.token_at(turn.start(1) - 1), turn.end()
    lo = ctx.paras[ctx.para_index(pair.open)][0]
    colon = ctx.text.find(":", lo, min(pair.open, lo + LABEL_CHARS))  # a label opens the line: bounded
    if colon < 0:
        return None, None, pair.start
    head = [t for t in ctx.tokens(lo, colon) if not t.is_space]
    if not head or len(head) > LABEL_WORDS or any(is_cue(t) for t in head):
        return None, None, pair.start
    named = [t for t in head if t.ent_type_ in ("PERSON", "ORG")]
    if named:
        name = named[0]
        while name.i < head[-1].i and name.nbor().ent_iob_ == "I":  # to the end of the name
            name = name.nbor()
        if name.nbor().ent_iob_ == "I":  # a name running over the colon: headline words glued into one
            return None, None, pair.start
    elif head[0].pos_ in ("PROPN", "NOUN") and head[0].text[:1].isupper() and head[0].tag_ not in ("NNS", "NNPS") and (
        len(head) == 1 or head[1].pos_ == "ADP"
    ):
        name = head[0]
    else:
        return None, None, pair.start
    return ctx.token_at(colon), name, pair.start


def _colon_cue(pair: QuotePair, ctx: QuoteDoc):
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


def _before_cue(pair: QuotePair, prev_close: int, ctx: QuoteDoc):
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
    subj = _participle_subject(chosen, ctx) if _participle(chosen) else subject_of(chosen)
    if subj is None and chosen.i + 1 < len(ctx.doc) and chosen.nbor().pos_ == "PROPN":  # 'Said Ellis: "..."'
        subj = _fallback_subject(chosen, chosen.idx, pair.open, ctx)
    return chosen, subj


def _participle(tok) -> bool:
    """An adverbial participle (``..., saying``), not a progressive (``is saying``) nor ``according``."""
    return (
        tok.tag_ == "VBG"
        and tok.dep_ in ("advcl", "conj", "xcomp")
        and tok.lower_ != "according"
        and not any(c.dep_ in ("aux", "auxpass") for c in tok.children)
    )


def _participle_subject(verb, ctx: QuoteDoc):
    """Who speaks through an adverbial participle (``X said, suggesting ...``, ``protesters marched,
    chanting, "..."``): the subject of the clause it hangs on, passing clauses inside quote marks and
    relative clauses (``an architect who said he ..., saying``); None when no such clause has one."""
    node = verb
    for _ in range(PARTICIPLE_STEPS):
        if node.head.i == node.i:
            return None
        node = node.head
        if node.pos_ not in ("VERB", "AUX") or ctx.quoted(node.idx) or node.dep_ == "relcl":
            continue
        if any(c.dep_ == "advmod" and c.tag_ == "WRB" for c in node.children):  # '..., where X played ...'
            continue
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass") and not ctx.quoted(c.idx)]
        if subjects:
            return subjects[0] if not when_word(subjects[0]) else None
    return None


def _last_word(ctx: QuoteDoc, lo: int, hi: int):
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


def _naming(pair: QuotePair, ctx: QuoteDoc) -> bool:
    tok = ctx.token_at(max(0, pair.open - 1))
    while tok is not None and tok.i > 0 and (tok.is_punct or tok.is_space):
        tok = tok.doc[tok.i - 1]
    return tok is not None and tok.lower_ in NAMING_WORDS


def _governing(pair: QuotePair, ctx: QuoteDoc):
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


def _words(pair: QuotePair, ctx: QuoteDoc) -> list:
    return [t for t in ctx.tokens(pair.start, pair.end) if t.is_alpha or t.like_num]


def _title(pair: QuotePair, ctx: QuoteDoc) -> bool:
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


def _scare(pair: QuotePair, ctx: QuoteDoc) -> bool:
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


def quote_candidates(ctx: QuoteDoc) -> list[Cand]:
    pairs = [p for p in pair_quotes(ctx.text) if p.depth == 0]
    out: list[Cand] = []
    prev_close, prev_capped = 0, False
    for n, p in enumerate(pairs):
        if not any(ch.isalpha() for ch in ctx.text[p.start : p.end]):
            continue
        if _kind(p, ctx.text) == "mixed" and (_title(p, ctx) or _scare(p, ctx)):
            prev_close, prev_capped = p.close, p.capped
            continue
        next_open = pairs[n + 1].open if n + 1 < len(pairs) else len(ctx.text)
        verb, subj, start = _labelled(p, ctx)
        if verb is None or start == p.start:  # a reporting verb beside the quote outranks a headline's label
            found = _after_cue(p, next_open, ctx)
            if found[0] is None:
                found = _before_cue(p, prev_close, ctx)
            if found[0] is not None:
                verb, subj = found
        kind = _kind(p, ctx.text)
        if verb is None and kind == "mixed":
            verb, subj = _governing(p, ctx)
        elif verb is None and kind == "direct":
            verb, subj = _colon_cue(p, ctx)
        end = p.end
        while end > p.start and ctx.text[end - 1] in ",;:":
            end -= 1
        cand = Cand(start, end, kind, verb, subj, p)
        cand.continues = prev_capped and verb is None
        cand.naming = verb is None and _naming(p, ctx)
        out.append(cand)
        prev_close, prev_capped = p.close, p.capped
    return out
