"""storyline_quotes: direct, mixed and indirect quotes with their speakers.

* **direct**: words between quote marks (``storyline.nlp.quotemarks``) that
  stand as an utterance of their own: at a sentence start, or after a colon or
  comma (``He said, "..."``, ``"X," he said, "Y."`` gives two quotes).
* **mixed**: quoted words embedded in the writer's own sentence (``described the
  talks as "very cordial"``, ``said the army is the best guarantee given "the
  reality on the ground."``). The span is the quoted words only: they are what
  the source can be checked against.
* **indirect**: a reporting verb with a clausal complement (``X said (that)
  ...``, ``..., the people said``, ``X told reporters ...``), ``according to X,
  ...``, ``X expressed his hope that ...`` and the emphasis verbs with an object
  (``X stressed the importance of ...``). The span is the reported clause.
  Clauses that hold quote marks are left to the quote they hold.

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

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.language import Language

from ...lexicon.speech import REPORT_VERBS
from ...model import Quote, Span
from ..quotemarks import QuotePair, pair_quotes, paragraphs
from ..util import doc_id, strip_span

__all__ = ["find_quotes", "REPORT_VERBS", "ROLE_NOUNS"]

SPEAKER_TYPES = ("PERSON", "ORG", "GPE", "NORP")
# reporting verbs whose noun-phrase object is itself the report ("stressed the importance of ...")
EMPHASIS_VERBS = frozenset("stress emphasize emphasise underline underscore reiterate".split())
HOPE_NOUNS = frozenset("hope wish belief conviction confidence concern fear view".split())
ROLE_NOUNS = frozenset(
    "minister diplomat secretary president chancellor premier spokesman spokeswoman spokesperson ambassador "
    "envoy leader chief general head director ceo chairman chairwoman chair commissioner senator governor "
    "mayor lawmaker negotiator adviser advisor official king queen prince pope master captain coach".split()
)
TELL_VERBS = frozenset("tell reassure assure warn inform remind caution".split())
TRAILING = frozenset(".,;:!?—–-\"'“”‘’()[]")
PRONOUNS = frozenset({"he", "she"})
NAMING_WORDS = frozenset("as called dubbed named titled entitled so-called nicknamed labelled labeled known".split())
DIRECT_BEFORE = set(".!?:,;—–([") | set("”’\"'")
MAX_WINDOW = 16  # tokens searched for a cue after a quote


@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    verb: object = None  # cue token (reporting verb or "according")
    speaker_tok: object = None
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


def _is_cue(tok) -> bool:
    if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
        return True
    return tok.pos_ == "VERB" and tok.lemma_.lower() in REPORT_VERBS and not _negated(tok)


def _negated(tok) -> bool:
    return any(c.dep_ == "neg" for c in tok.children) or any(
        c.dep_ == "neg" for a in tok.children if a.dep_ in ("aux", "auxpass") for c in a.children
    )


def _cue_text(tok) -> str:
    return "according to" if tok.lower_ == "according" else tok.text


def _subject_of(verb, depth: int = 0):
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
    for c in verb.children:
        if c.dep_ == "nsubj":
            if c.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                return verb.head
            return c
    if verb.dep_ == "relcl":
        return verb.head
    if depth < 3 and verb.dep_ in ("advcl", "xcomp", "conj", "pcomp", "acl") and verb.head is not verb:
        head = verb.head
        while head.pos_ == "ADP" and head.head is not head:  # "at the same time cautioning"
            head = head.head
        if head.pos_ in ("VERB", "AUX"):
            return _subject_of(head, depth + 1)
    return None


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
    if last == "." and not (nxt == "," or nxt.islower()):
        return None, None
    first = ctx.token_at(j)
    if first is None:
        return None, None
    sent = ctx.sents[ctx.sent_index(first.idx)]
    hi = min(sent.end_char, next_open)
    for n, t in enumerate(ctx.tokens(j, hi)):
        if n >= MAX_WINDOW or t.text in ".!?":
            break
        if _is_cue(t):
            subj = _subject_of(t)
            if subj is None or (subj.i < first.i - 1 and t.lower_ != "according"):  # subject inside the quote
                subj = _fallback_subject(t, j, hi, ctx)
            return t, subj
    return None, None


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
    cues = [t for t in ctx.tokens(lo, pair.open) if _is_cue(t)]
    if not cues:
        return None, None
    chosen = None
    if first is not None:
        ancestors = {a.i for a in first.ancestors}
        governing = [c for c in cues if c.i in ancestors]
        chosen = governing[-1] if governing else None
    chosen = chosen or cues[-1]
    return chosen, _subject_of(chosen)


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


# ------------------------------------------------------------------ candidates


def _quote_candidates(ctx: _Doc) -> list[_Cand]:
    pairs = [p for p in pair_quotes(ctx.text) if p.depth == 0]
    out: list[_Cand] = []
    prev_close, prev_capped = 0, False
    for n, p in enumerate(pairs):
        if not any(ch.isalpha() for ch in ctx.text[p.start : p.end]):
            continue
        next_open = pairs[n + 1].open if n + 1 < len(pairs) else len(ctx.text)
        verb, subj = _after_cue(p, next_open, ctx)
        if verb is None:
            verb, subj = _before_cue(p, prev_close, ctx)
        end = p.end
        while end > p.start and ctx.text[end - 1] in ",;:":
            end -= 1
        cand = _Cand(p.start, end, _kind(p, ctx.text), verb, subj, p)
        cand.continues = prev_capped and verb is None
        cand.naming = verb is None and _naming(p, ctx)
        out.append(cand)
        prev_close, prev_capped = p.close, p.capped
    return out


def _that_clause(tok) -> bool:
    return any(m.lower_ == "that" and m.dep_ == "mark" for m in tok.children)


def _clause_span(clause, ctx: _Doc, skip=()) -> tuple[int, int] | None:
    toks = [t for t in clause.subtree if t.i not in skip]
    while toks and (toks[0].dep_ == "mark" and toks[0].lower_ == "that" or toks[0].is_punct):
        toks = toks[1:]
    while toks and (toks[-1].text in TRAILING or toks[-1].is_space):
        toks = toks[:-1]
    if len(toks) < 3:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _indirect_candidates(ctx: _Doc, quoted: list[tuple[int, int]]) -> list[_Cand]:
    starts = [q[0] for q in quoted]

    def overlaps_quote(s: int, e: int) -> bool:
        # top-level pairs are disjoint and sorted: only the last one opening before ``e`` can overlap
        i = bisect_left(starts, e) - 1
        return i >= 0 and quoted[i][1] > s

    out: list[_Cand] = []
    for tok in ctx.doc:
        if not _is_cue(tok) or overlaps_quote(tok.idx, tok.idx + 1):
            continue
        clauses, skip = [], set()
        if tok.lower_ == "according":
            head = tok.head
            if head is tok:
                continue
            skip = {t.i for t in tok.subtree}
            clauses = [head]
        else:
            clauses = [c for c in tok.children if c.dep_ == "ccomp"]
            lemma = tok.lemma_.lower()
            if not clauses and (lemma in TELL_VERBS or lemma == "express"):
                # "reassured allies that ...", "expressed his hope that ..."
                for o in tok.children:
                    if o.dep_ == "dobj" and (lemma != "express" or o.lemma_.lower() in HOPE_NOUNS):
                        clauses.extend(c for c in o.children if c.dep_ in ("acl", "ccomp", "relcl") and _that_clause(c))
            if not clauses and lemma in EMPHASIS_VERBS and tok.tag_ != "VBG":
                clauses = [c for c in tok.children if c.dep_ in ("dobj", "xcomp")][:1]
        for clause in clauses:
            span = _clause_span(clause, ctx, skip)
            if span is not None and clause.dep_ == "ccomp" and not any(
                c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in clause.children
            ):
                # "warned the costs could rise": the parser took the clause's subject for an object
                objs = [o for o in tok.children if o.dep_ == "dobj" and o.i < clause.i]
                if objs:
                    span = (objs[-1].left_edge.idx, span[1])
            if span is None or overlaps_quote(*span):
                continue
            out.append(_Cand(span[0], span[1], "indirect", tok, _subject_of(tok)))
    return out


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


def find_quotes(doc) -> list[Quote]:
    """Every direct, mixed and indirect quote of ``doc``, in text order, ids ``q0, q1, ...``."""
    ctx = _Doc(doc)
    quoted = _quote_candidates(ctx)
    marks = sorted((c.pair.open, c.pair.close) for c in quoted if c.pair is not None)
    cands = sorted(quoted + _indirect_candidates(ctx, marks), key=lambda c: (c.start, c.end))
    index = _Mentions(doc)
    salience = _Salience(ctx, index)
    times = _times_by_verb(doc)
    did = doc_id(doc)
    out: list[Quote] = []
    prev: tuple[int, str | None] | None = None  # (sentence of the previous quote's end, its speaker)
    for c in cands:
        sent = ctx.sent_index(c.start)
        recent = prev is not None and sent - prev[0] <= 2
        speaker, words = None, None
        if c.speaker_tok is not None and c.verb is not None and ctx.para_index(c.speaker_tok.idx) != ctx.para_index(c.verb.idx):
            c.speaker_tok = None  # the parse ran a sentence over a paragraph break
        if c.speaker_tok is not None:
            s, e = _speaker_words(c.speaker_tok)
            s, e = strip_span(ctx.text, s, e)
            words = Span(did, s, e, ctx.text[s:e])  # doc.text is rebuilt on every access: read it once
            has_conj = any(t.dep_ == "conj" for t in c.speaker_tok.children)
            speaker = None if has_conj else _entity_for(c.speaker_tok, doc, index)
            if speaker is None and not has_conj:
                low = c.speaker_tok.lower_
                prev_person = prev[1] if recent and prev[1] in salience.persons else None
                if low in PRONOUNS:
                    speaker = prev_person or salience.recent(c.speaker_tok.idx)
                elif _role_noun(c.speaker_tok):
                    if prev_person:
                        speaker = prev_person
                    else:
                        cand = salience.recent(c.speaker_tok.idx)
                        if cand and salience.seen_with(cand, c.speaker_tok.lemma_.lower()):
                            speaker = cand
        elif c.verb is None and prev is not None and not c.naming and (recent or c.continues):
            speaker = prev[1]
        when = times.get(c.verb.i) if c.verb is not None else None
        out.append(
            Quote(
                span=Span(did, c.start, c.end, ctx.text[c.start : c.end]),
                id=f"q{len(out)}",
                kind=c.kind,
                speaker=speaker,
                speaker_span=words,
                cue=_cue_text(c.verb) if c.verb is not None else None,
                when=when,
            )
        )
        prev = (ctx.sent_index(max(c.start, c.end - 1)), speaker)
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
