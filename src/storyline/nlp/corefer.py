"""Role phrases and pronouns resolved to the people one document names.

Input: a parsed ``Doc`` and its PERSON name mentions, each with a cluster id
(``storyline.nlp.names`` and the entities component make those). Output
(:class:`Coref`): the role descriptions of each person and the extra mentions
(kind ``nominal`` or ``pronoun``) that refer to one of them.

* A **role phrase** is a singular role noun (``minister``, ``diplomat``,
  ``Secretary``...) with its modifiers (``Spain's top``, ``the former Dutch
  prime``) and a title tail (``of State``, ``General``, ``for Foreign Affairs and
  Security Policy``). Next to a name -- right before it, before ``, NAME,`` or
  after ``NAME,`` / ``NAME (`` -- it is a **description** of that person.
  Standing alone with ``the`` or a possessive it is a **nominal** mention,
  resolved by what the descriptions say: the same office (a small table of
  synonyms: "top diplomat" = foreign minister = secretary of state), else the
  same role word (``the minister`` -> a person described as a minister); a
  different nationality or a different current office rules a person out. The
  most recent such person before the phrase wins; after it only when there is
  one. With no description to go on, a nominal subject goes to the only
  compatible person named in its own or the two previous sentences.
* A **pronoun** (``he``/``she`` as subject, ``his``/``her`` as possessive)
  outside quotation marks goes to the person who is the subject of a clause it
  hangs under; else, when its sentence names nobody before it, to the single
  subject (or single person) of the last sentence that names someone, at most
  three sentences back. Objects, conjoined subjects, an unnamed person in the
  way, or a gender clash leave it unresolved: no mention beats a wrong one.

Everything is linear in the document apart from small fixed windows.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.symbols import PRON

from .names import ROLE_HEADS, TITLE_WORDS, fold, nationality, role_classes
from .quotemarks import pair_quotes
from .util import doc_text
from ..lexicon.names import MALE_WORDS as _MALE
from ..lexicon.names import FEMALE_WORDS as _FEMALE
from ..lexicon.names import PERSON_WORDS as _PERSON_WORDS

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["Coref", "RolePhrase", "resolve_people", "role_phrases"]

_CLOSE = frozenset({",", ")", ".", ";", ":", "—", "–", "-", "!", "?"})
_SUBJ = ("nsubj", "nsubjpass")
_CHAIN_LIMIT = 15
_LOOK_BACK = 3


@dataclass
class RolePhrase:
    """Tokens ``start:end`` naming a role; ``head`` is the role noun's index."""

    start: int
    end: int
    head: int
    definite: bool
    former: bool
    classes: frozenset[str]
    nats: frozenset[str]
    words: frozenset[str]
    text: str
    topics: frozenset[str] = frozenset()  # portfolio words: "transport" in "the transport minister"
    owner: int = -1  # the person a possessive names ("Vasko's spokesman" is not Vasko)


@dataclass
class Coref:
    """What the resolver found: descriptions per cluster and extra mentions."""

    descriptions: dict[int, list[str]] = field(default_factory=dict)
    # (cluster, start_char, end_char, kind)
    mentions: list[tuple[int, int, int, str]] = field(default_factory=list)


@dataclass
class _Ref:
    tok: int
    cid: int  # -1: a person the text does not name
    sent: int
    subject: bool
    root: bool
    quoted: bool


@dataclass
class _Profile:
    classes: set = field(default_factory=set)
    nats: set = field(default_factory=set)
    topics: set = field(default_factory=set)
    words: set = field(default_factory=set)
    gender: str | None = None


class _Ctx:
    """Per-document indexes: sentence of each token, quoted tokens, name owners."""

    def __init__(self, doc, persons) -> None:
        self.doc = doc
        n = len(doc)
        self.sent_of = [0] * n
        self.sent_start: list[int] = []
        for k, sent in enumerate(doc.sents):
            self.sent_start.append(sent.start)
            for i in range(sent.start, sent.end):
                self.sent_of[i] = k
        self.quoted = [False] * n
        pairs = [(q.start, q.end) for q in pair_quotes(doc_text(doc)) if q.family == "double"]
        j = 0
        for tok in doc:
            while j < len(pairs) and pairs[j][1] <= tok.idx:
                j += 1
            if j < len(pairs) and pairs[j][0] <= tok.idx < pairs[j][1]:
                self.quoted[tok.i] = True
        self.owner = [-1] * n  # token -> cluster of the name covering it
        self.name_start: dict[int, tuple[int, int]] = {}  # first token -> (end token, cluster)
        self.name_end: dict[int, tuple[int, int]] = {}  # last token -> (first token, cluster)
        for m, cid in persons:
            for i in range(m.start, m.end):
                self.owner[i] = cid
            self.name_start[m.start] = (m.end, cid)
            self.name_end[m.end - 1] = (m.start, cid)
        self.ref_tok: dict[int, int] = {}  # token -> cluster, for subject look-ups
        self.by_sent: dict[int, list[_Ref]] = {}
        self.seen: dict[int, list[int]] = {}  # cluster -> token positions of its references

    def same_sent(self, a: int, b: int) -> bool:
        return self.sent_of[a] == self.sent_of[b]


def _properish(tok) -> bool:
    if tok.is_punct or tok.is_space:
        return False
    return tok.text[:1].isupper() or tok.ent_type_ in ("GPE", "ORG", "NORP", "LOC") or tok.lower_ in TITLE_WORDS


def _role_word(tok) -> bool:
    return tok.lower_.rstrip(".") in ROLE_HEADS and tok.pos_ in ("NOUN", "PROPN")


def _extend_right(ctx: _Ctx, i: int) -> int:
    doc, n = ctx.doc, len(ctx.doc)
    end = i + 1
    while end < n and ctx.same_sent(end, i) and ctx.owner[end] < 0:
        t = doc[end]
        if _role_word(t) and t.tag_ not in ("NNS", "NNPS") or (
            t.lower_ in TITLE_WORDS and t.pos_ in ("NOUN", "PROPN") and t.is_title == doc[end - 1].is_title
        ):
            end += 1
            continue
        if t.lower_ in ("of", "for") and end + 1 < n and ctx.owner[end + 1] < 0 and _properish(doc[end + 1]):
            j = end + 1
            while j < n and ctx.same_sent(j, i) and ctx.owner[j] < 0:
                if _properish(doc[j]):
                    j += 1
                elif doc[j].lower_ in ("and", "&", "the", "of") and j + 1 < n and _properish(doc[j + 1]):
                    j += 1
                else:
                    break
            if j in ctx.name_start and any(_role_word(doc[x]) for x in range(end + 1, j)):
                break  # "spokesman for Transport Minister Helena Brandt": the title is hers
            end = j
            continue
        break
    return end


def _extend_left(ctx: _Ctx, i: int) -> tuple[int, bool, bool]:
    """(start, definite, possessive) of the modifiers before role noun ``i``."""
    doc = ctx.doc
    lo = ctx.sent_start[ctx.sent_of[i]]
    start, k, mods = i, i - 1, 0
    while k >= lo and mods < 7:
        t = doc[k]
        if t.tag_ == "POS" or t.lower_ in ("'s", "’s"):
            o = k - 1
            if o < lo or doc[o].is_punct:
                break
            if ctx.owner[o] >= 0:
                while o - 1 >= lo and ctx.owner[o - 1] == ctx.owner[o]:
                    o -= 1
            elif doc[o].ent_iob_ == "I":
                while o - 1 >= lo and doc[o].ent_iob_ == "I":
                    o -= 1
            if o - 1 >= lo and doc[o - 1].lower_ in ("the", "this", "that"):
                o -= 1
            return o, True, True
        if ctx.owner[k] >= 0 or t.is_punct:
            break
        if t.lower_ in ("the", "this", "that"):
            return k, True, False
        if t.lower_ in ("a", "an", "another", "one"):
            return k, False, False
        if t.pos_ in ("ADJ", "PROPN", "NOUN") or t.lower_ in TITLE_WORDS or t.ent_type_ in ("NORP", "GPE", "ORG"):
            start, k, mods = k, k - 1, mods + 1
            continue
        break
    while start < i and start == lo and not (
        doc[start].lower_ in TITLE_WORDS
        or doc[start].ent_type_ in ("NORP", "GPE", "ORG")
        or doc[start].pos_ in ("ADJ", "PROPN")
    ):
        start += 1  # "Yesterday Foreign Minister ...": keep the title only
        lo += 1
    return start, False, False


def _nats(doc, a: int, b: int) -> frozenset[str]:
    out, i = set(), a
    while i < b:
        t = doc[i]
        if t.ent_type_ in ("GPE", "NORP"):
            j = i + 1
            while j < b and doc[j].ent_iob_ == "I" and doc[j].ent_type_ == t.ent_type_:
                j += 1
            words = [w for w in doc[i:j] if w.lower_ not in ("the", "'s", "’s") and w.tag_ != "POS"]
            key = nationality(" ".join(w.text for w in words)) if words else None
            if key:
                out.add(key)
            i = j
            continue
        if fold(t.text) in ("us", "u.s.", "american", "dutch", "british", "spanish", "french", "german"):
            key = nationality(t.text)
            if key:
                out.add(key)
        i += 1
    return frozenset(out)


def _phrase(ctx: _Ctx, a: int, b: int, head: int, definite: bool) -> RolePhrase:
    doc = ctx.doc
    toks = doc[a:b]
    text_start = a + 1 if doc[a].lower_ in ("the", "a", "an", "this", "that", "another", "one") else a
    text = doc[text_start:b].text
    return RolePhrase(
        a, b, head, definite,
        former=any(t.lower_ in ("former", "ex", "then") for t in toks),
        classes=role_classes(text),
        nats=_nats(doc, a, b),
        words=frozenset(t.lower_.rstrip(".") for t in toks if t.lower_.rstrip(".") in TITLE_WORDS),
        text=text,
        topics=frozenset(
            fold(t.text) for t in toks
            if t.pos_ in ("NOUN", "PROPN", "ADJ") and not t.ent_type_ and ctx.owner[t.i] < 0
            and t.lower_.rstrip(".") not in TITLE_WORDS and t.tag_ != "POS"
        ),
    )


def role_phrases(ctx: _Ctx) -> list[RolePhrase]:
    """Every singular role phrase of the document, in text order."""
    doc = ctx.doc
    out: list[RolePhrase] = []
    skip = 0
    for tok in doc:
        i = tok.i
        if i < skip or not _role_word(tok) or tok.tag_ in ("NNS", "NNPS") or ctx.owner[i] >= 0:
            continue
        if tok.ent_type_ and tok.ent_type_ != "PERSON":
            continue  # inside an organisation's name ("Council of Ministers")
        h = tok.head
        if tok.dep_ in ("compound", "amod") and h.i > i and not (_role_word(h) or ctx.owner[h.i] >= 0 or h.is_title):
            continue  # a modifier: "minister meeting"
        end = _extend_right(ctx, i)
        start, definite, _poss = _extend_left(ctx, i)
        skip = end
        ph = _phrase(ctx, start, end, i, definite)
        ph.owner = ctx.owner[start] if _poss else -1
        out.append(ph)
    return out


def _adjacent_name(ctx: _Ctx, ph: RolePhrase) -> int | None:
    """The person a role phrase describes when it stands next to their name."""
    doc, n = ctx.doc, len(ctx.doc)
    a, b = ph.start, ph.end
    if b < n and b in ctx.name_start:
        return ctx.name_start[b][1]
    if b + 1 < n and doc[b].text == "(" and b + 1 in ctx.name_start:
        return ctx.name_start[b + 1][1]
    if b + 1 < n and doc[b].text == "," and b + 1 in ctx.name_start:
        m1, cid = ctx.name_start[b + 1]
        if m1 >= n or doc[m1].text in _CLOSE or doc[m1].lower_ in ("who", "that") or not ctx.same_sent(m1, b):
            return cid
    if a >= 2 and doc[a - 1].text in (",", "(") and a - 2 in ctx.name_end:
        if b >= n or doc[b].text in _CLOSE or not ctx.same_sent(b, a):
            return ctx.name_end[a - 2][1]
    return None


def _subject_info(doc, tok) -> tuple[bool, bool, bool]:
    """(subject, conjoined, of the sentence root) for the phrase headed by ``tok``."""
    t, conj = tok, any(c.dep_ == "conj" for c in tok.children)
    for _ in range(6):
        if t.dep_ in ("compound", "appos", "flat", "nmod") and t.head.i != t.i:
            t = t.head
        elif t.dep_ == "conj" and t.head.i != t.i:
            t, conj = t.head, True
        else:
            break
    subject = t.dep_ in _SUBJ
    return subject, conj, subject and t.head.dep_ == "ROOT"


class _Resolver:
    def __init__(self, ctx: _Ctx, persons, profiles: dict[int, _Profile]):
        self.ctx = ctx
        self.profiles = profiles
        for m, cid in persons:
            self.add_ref(m.start, m.end, cid, self._root(m.start, m.end))

    def _root(self, s: int, e: int):
        return self.ctx.doc[s:e].root

    def add_ref(self, s: int, e: int, cid: int, root) -> None:
        ctx = self.ctx
        subject, _conj, main = _subject_info(ctx.doc, root)
        ref = _Ref(s, cid, ctx.sent_of[s], subject, main, ctx.quoted[s])
        ctx.by_sent.setdefault(ref.sent, []).append(ref)
        if cid >= 0:
            for i in range(s, e):
                ctx.ref_tok[i] = cid
            pos = ctx.seen.setdefault(cid, [])
            pos.insert(bisect_left(pos, s), s)

    def last_before(self, cid: int, tok: int) -> int:
        pos = self.ctx.seen.get(cid, [])
        k = bisect_left(pos, tok)
        return pos[k - 1] if k else -1

    # ------------------------------------------------------------ role nouns

    def _level(self, ph: RolePhrase, prof: _Profile) -> int:
        if ph.nats and prof.nats and not (ph.nats & prof.nats):
            return -1
        if ph.topics and prof.topics and not (ph.topics & prof.topics):
            return -1  # "the transport minister" is not the labour minister
        heads = {w for w in ph.words if w in ROLE_HEADS}
        same_word = bool(heads & prof.words)
        if ph.classes and prof.classes:
            if ph.classes & prof.classes:
                return 3 if same_word else 2  # "the Secretary of State": a secretary of state first
            if not ph.former:
                return -1
        return 1 if same_word else 0

    def nominal(self, ph: RolePhrase) -> int | None:
        levels = {cid: self._level(ph, prof) for cid, prof in self.profiles.items()}
        if ph.owner >= 0:
            levels[ph.owner] = -1
        best = max(levels.values(), default=0)
        if best > 0:
            cands = [cid for cid, lv in levels.items() if lv == best]
            before = [(self.last_before(cid, ph.start), cid) for cid in cands]
            before = [b for b in before if b[0] >= 0]
            if before:
                return max(before)[1]
            return cands[0] if len(cands) == 1 and best >= 2 else None  # cataphora: the same office only
        return self._nominal_fallback(ph, levels)

    def _nominal_fallback(self, ph: RolePhrase, levels: dict[int, int]) -> int | None:
        ctx = self.ctx
        subject, conj, _r = _subject_info(ctx.doc, ctx.doc[ph.head])
        if not subject or conj:
            return None
        sent = ctx.sent_of[ph.start]
        cids: set[int] = set()
        subjects: list[list[_Ref]] = []
        for s in range(max(0, sent - 2), sent + 1):
            refs = [r for r in ctx.by_sent.get(s, ()) if r.tok < ph.start and not r.quoted]
            cids.update(r.cid for r in refs)
            subjects.append(refs)
        if -1 in cids:
            return None
        ok = [c for c in cids if levels.get(c, 0) >= 0]
        if len(ok) != 1 or not any(r.cid == ok[0] and r.subject for s in subjects for r in s):
            return None  # the one compatible person, and named as a subject
        return ok[0]

    # ------------------------------------------------------------ pronouns

    def _gender_ok(self, cid: int, word: str) -> bool:
        g = "m" if word in _MALE else "f"
        prof = self.profiles.setdefault(cid, _Profile())
        return prof.gender in (None, g)

    def pronoun(self, p) -> int | None:
        cid = self._by_chain(p)
        if cid is None:
            cid = self._by_context(p)
        if cid is None or cid < 0 or not self._gender_ok(cid, p.lower_):
            return None
        self.profiles[cid].gender = "m" if p.lower_ in _MALE else "f"
        return cid

    def _by_chain(self, p) -> int | None:
        """The subject of a clause the pronoun hangs under; -1 blocks."""
        ctx, poss = self.ctx, p.dep_ == "poss"
        cur = p
        for _ in range(_CHAIN_LIMIT):
            if cur.head.i == cur.i:
                return None
            cur = cur.head
            for c in cur.children:
                if c.dep_ not in _SUBJ or c.i == p.i or not (c.i < p.i or poss):
                    continue
                found = {ctx.ref_tok[x.i] for x in (c, *c.conjuncts) if x.i in ctx.ref_tok}
                if len(found) == 1 and not any(x.dep_ == "conj" for x in c.children if x.i not in ctx.ref_tok):
                    cid = found.pop()
                    if poss and self._other_between(c.i, p.i, cid):
                        return -1  # "A thanked B for his ...": A or B
                    return cid
                if found or c.pos_ == "PROPN" or _role_word(c) or c.lower_ in _PERSON_WORDS:
                    return -1  # two people, or a person we cannot name
        return None

    def _other_between(self, a: int, b: int, cid: int) -> bool:
        lo, hi = min(a, b), max(a, b)
        return any(r.cid != cid and lo < r.tok < hi for r in self.ctx.by_sent.get(self.ctx.sent_of[b], ()))

    def _by_context(self, p) -> int | None:
        ctx = self.ctx
        sent = ctx.sent_of[p.i]
        here = [r for r in ctx.by_sent.get(sent, ()) if r.tok < p.i and not r.quoted]
        if here:
            cids = {r.cid for r in here}
            if len(cids) == 1 and all(r.subject for r in here):
                return cids.pop()
            return None
        for s in range(sent - 1, max(-1, sent - 1 - _LOOK_BACK), -1):
            refs = [r for r in ctx.by_sent.get(s, ()) if not r.quoted]
            if not refs:
                continue
            subj = {r.cid for r in refs if r.subject}
            if len(subj) > 1:
                subj = {r.cid for r in refs if r.subject and r.root}
            if not subj and len({r.cid for r in refs}) == 1:
                subj = {refs[0].cid}
            return subj.pop() if len(subj) == 1 else None
        return None


def _profiles(descriptions: dict[int, list[RolePhrase]]) -> dict[int, _Profile]:
    out: dict[int, _Profile] = {}
    for cid, phrases in descriptions.items():
        prof = out.setdefault(cid, _Profile())
        for ph in phrases:
            if not ph.former:
                prof.classes |= ph.classes
            prof.nats |= ph.nats
            prof.words |= ph.words
            prof.topics |= ph.topics
            if ph.words & _MALE:
                prof.gender = "m"
            elif ph.words & _FEMALE:
                prof.gender = "f"
    return out


def resolve_people(doc, persons) -> Coref:
    """Descriptions and nominal/pronoun mentions for ``persons``: ``[(NameMention, cluster id), ...]``."""
    ctx = _Ctx(doc, persons)
    phrases = role_phrases(ctx)
    described: dict[int, list[RolePhrase]] = {}
    nominals: list[RolePhrase] = []
    for ph in phrases:
        cid = _adjacent_name(ctx, ph)
        if cid is not None:
            described.setdefault(cid, []).append(ph)
            for i in range(ph.start, ph.end):
                ctx.ref_tok.setdefault(i, cid)
        elif ph.definite and not ctx.quoted[ph.head]:
            nominals.append(ph)
    out = Coref()
    for cid, phs in described.items():
        seen: list[str] = []
        for ph in phs:
            if ph.text not in seen:
                seen.append(ph.text)
        out.descriptions[cid] = seen
    res = _Resolver(ctx, persons, _profiles(described))
    events: list[tuple[int, RolePhrase | Token]] = [(ph.start, ph) for ph in nominals]
    for tok in doc:
        if tok.pos != PRON or ctx.quoted[tok.i]:  # the part-of-speech id first: most words are no pronoun
            continue
        low = tok.lower_
        if (low in ("he", "she") and tok.dep_ != "poss") or (low in ("his", "her") and tok.dep_ == "poss"):
            events.append((tok.i, tok))
    events.sort(key=lambda ev: ev[0])
    for _pos, item in events:
        if isinstance(item, RolePhrase):
            cid = res.nominal(item)
            s, e, kind, root = item.start, item.end, "nominal", doc[item.head]
        else:
            cid = res.pronoun(item)
            s, e, kind, root = item.i, item.i + 1, "pronoun", item
        res.add_ref(s, e, -1 if cid is None else cid, root)
        if cid is not None:
            span = doc[s:e]
            out.mentions.append((cid, span.start_char, span.end_char, kind))
    return out
