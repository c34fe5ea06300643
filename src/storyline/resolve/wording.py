"""Quote wording: one speaker's words on one occasion given in different words by two outlets.

Two direct quotes are taken as one utterance when they come from independent reports of one
story, their speakers resolve to one entity (or the reports name them with one last name:
"President Trump" / "Donald Trump", which entity resolution can leave apart), and they share a
long run of words (at least ``MIN_RUN`` words in a row and ``MIN_SHARED`` of the shorter quote's words, in order). Such
quotes disagree when, inside the stretch both give, a word is added, dropped or changed.
Never a disagreement:

* one quote being a part of the other (an outlet quotes less: differences at either end);
* case, punctuation, quote marks, abbreviation dots ("E.U." / "EU"), words split or joined
  ("good will" / "goodwill");
* a report (with its copies) that itself gives the utterance in two wordings: it tells two
  utterances (two questions of one list), not one misquoted by another outlet;
* a difference next to an editor's mark: an ellipsis ("..."), brackets ("[him]") or an
  inserted parenthesis ("(Russian President Vladimir)").

Every quote aligned with another into one utterance is a claim of the conflict, so each side
is cited; the ``basis`` says who spoke, how many words the quotes share and the first
difference.
"""

from __future__ import annotations

import re
from collections import defaultdict
from difflib import SequenceMatcher
from typing import Mapping, Sequence

from ..lexicon.conflicts import NOT_SPEAKER_NAMES
from ..model import Claim, Conflict, DocAnnotations, Quote
from .common import UnionFind, root_doc, stable_id
from .support import item_id

__all__ = ["quote_conflicts", "wording_diff", "quote_tokens"]

MIN_WORDS = 5  # a shorter quote is a phrase, and phrases recur ("a very special relationship")
MIN_RUN = 4  # words in a row both quotes give, when both name one speaker
MIN_SHARED = 0.6  # share of the shorter quote's words, in order, that the other gives
# when the speakers are not found to be one (unknown, or resolved apart: speaker finding errs on
# real news), the words themselves must say it is one utterance
MIN_RUN_UNSURE = 6
MIN_SHARED_UNSURE = 0.7
# more words than this given by one quote only, inside the stretch both give and with no editor's
# mark, means two utterances that share a phrase, not one utterance misquoted
MAX_GAP = 8

GAP = "\x00"  # an editor's mark: what stands next to it may differ
_EDITOR = re.compile(r"\.\.\.|…|\[[^\]]{0,60}\]|\([^)]{0,80}\)")
_DOTS = re.compile(r"(?<=\w)\.(?=\w)")
_WORD = re.compile(r"[a-z0-9]+|\x00")


# contractions a transcriber writes either way ("we've" / "we have"); "'s" (is, has) stays as it is
_CONTRACTIONS = ((re.compile(r"\bcan['’]t\b"), "can not"), (re.compile(r"\bwon['’]t\b"), "will not"),
                 (re.compile(r"n['’]t\b"), " not"), (re.compile(r"['’]ve\b"), " have"), (re.compile(r"['’]ll\b"), " will"),
                 (re.compile(r"['’]re\b"), " are"), (re.compile(r"\bi['’]m\b"), "i am"))


_QUOTE_MARK = re.compile(r'"|“|”|``|\'\'')
_SPACED_APOSTROPHE = re.compile(r"(\w) ?([’']) ?(ll|ve|re|m|s|t|d)\b")


def quote_tokens(text: str) -> list[str]:
    """Lower-case words of a quote, contractions spelled out ("we've" -> "we have"), other
    apostrophes dropped, abbreviation dots dropped ("E.U." -> "eu"), an editor's mark as one
    ``GAP`` token. A quote mark inside the span ends a quoted part (what follows is the attribution:
    '... on my shoulders," he said'); a quote mark after the attribution opens the next part, and the
    parts are joined by a ``GAP`` ('You can mark it down," he said. "If they restart ...': the
    attribution between is no part of the words quoted, and what stands next to it may differ)."""
    parts = _QUOTE_MARK.split(text.strip().strip('"“”`\' '))
    text = f" {GAP} ".join(p for p in parts[::2] if p.strip())
    text = _SPACED_APOSTROPHE.sub(r"\1\2\3", text)
    t = _DOTS.sub("", _EDITOR.sub(f" {GAP} ", text)).lower()
    if "'" in t or "’" in t:  # every contraction has one
        for pat, rep in _CONTRACTIONS:
            t = pat.sub(rep, t)
    return _WORD.findall(t.replace("’", "").replace("'", "").replace("‘", ""))


def wording_diff(a: list[str], b: list[str], run: int = MIN_RUN, share: float = MIN_SHARED) -> tuple[int, list[tuple[str, str]]] | None:
    """None when two quotes are not one utterance (fewer than ``run`` words in a row or ``share``
    of the shorter quote's words in common); else (words shared in order, the differences inside
    the stretch both give, each as (words of a, words of b))."""
    wa, wb = [w for w in a if w != GAP], [w for w in b if w != GAP]
    if min(len(wa), len(wb)) < MIN_WORDS:
        return None
    sm = SequenceMatcher(None, a, b, autojunk=False)
    blocks = [blk for blk in sm.get_matching_blocks() if blk.size]
    shared = sum(blk.size for blk in blocks)
    if not blocks or max(blk.size for blk in blocks) < run or shared < share * min(len(wa), len(wb)):
        return None
    diffs = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if (i1 == 0 and j1 == 0) or (i2 == len(a) and j2 == len(b)):
            continue  # one outlet quotes more (or starts or ends the quote elsewhere)
        if i1 == 0 and tag == "insert" or j1 == 0 and tag == "delete":
            continue
        if i2 == len(a) and tag == "insert" or j2 == len(b) and tag == "delete":
            continue
        near = a[max(0, i1 - 1):i2 + 1] + b[max(0, j1 - 1):j2 + 1]
        if GAP in near:
            continue  # next to an ellipsis or brackets: the editor said words are left out or changed
        if "".join(a[i1:i2]) == "".join(b[j1:j2]):
            continue  # "good will" / "goodwill"
        if _numeral(a[i1:i2]) or _numeral(b[j1:j2]):
            continue  # "11th" / "eleventh", "45" / "forty-five": how a number is written
        if max(i2 - i1, j2 - j1) > MAX_GAP:
            return None
        diffs.append((" ".join(a[i1:i2]), " ".join(b[j1:j2])))
    return shared, diffs


def _numeral(words: list[str]) -> bool:
    return len(words) == 1 and bool(re.fullmatch(r"\d+(st|nd|rd|th|s)?", words[0]))


def quote_conflicts(
    annotations: Sequence[DocAnnotations],
    entity_of: Mapping[tuple[str, str], str],
    duplicate_of: Mapping[str, str | None],
    story_of: Mapping[str, object],
) -> list[Conflict]:
    """Groups of quotes of one utterance (one story, independent reports, one speaker or words
    that leave no doubt) whose wording differs; one conflict per group, every quote of the group
    a claim."""
    buckets: dict[str, list[tuple[str, Quote, list[str], str | None]]] = defaultdict(list)
    names: dict[str, str] = {}
    for ann in annotations:
        story = story_of.get(ann.doc)
        if story is None:
            continue
        for q in ann.quotes:
            if q.kind == "indirect":
                continue
            spk = entity_of.get((ann.doc, q.speaker)) if q.speaker else None
            buckets[str(story)].append((ann.doc, q, quote_tokens(q.span.text), spk))
            if spk and q.speaker_span is not None:
                names.setdefault(spk, q.speaker_span.text)
    out = []
    for key in sorted(buckets):
        quotes = sorted(buckets[key], key=lambda x: (x[0], x[1].span.start))
        if len(quotes) < 2:
            continue
        uf = UnionFind(range(len(quotes)))
        differ: dict[tuple[int, int], tuple[int, list]] = {}
        sure_pairs: set[tuple[int, int]] = set()
        sets = [set(q[2]) for q in quotes]
        roots = [root_doc(q[0], duplicate_of) for q in quotes]
        for i, j in _sharing_run(quotes):
            if roots[i] == roots[j] or len(sets[i] & sets[j]) < MIN_RUN:
                continue
            sure = (quotes[i][3] is not None and quotes[i][3] == quotes[j][3]) or _one_name(quotes[i][1], quotes[j][1])
            d = (wording_diff(quotes[i][2], quotes[j][2]) if sure
                 else wording_diff(quotes[i][2], quotes[j][2], MIN_RUN_UNSURE, MIN_SHARED_UNSURE))
            if d is None:
                continue
            uf.union(i, j)
            if d[1]:
                differ[(i, j)] = d
                if sure:
                    sure_pairs.add((i, j))
        for members in uf.groups():
            pairs = sorted((p, d) for p, d in differ.items() if p[0] in members)
            if not pairs or _self_differs(quotes, members, roots):
                continue
            # shown: a pair of one speaker if any, then the one sharing the most words (the surest one utterance)
            (i, j), (shared, diffs) = max(pairs, key=lambda pd: (pd[0] in sure_pairs, pd[1][0], -pd[0][0], -pd[0][1]))
            spk = quotes[i][3] if quotes[i][3] == quotes[j][3] else None
            # the speaker as a report names them; one the reports do not name stays unnamed (an entity id
            # is no name, and changes as the store grows)
            named = names.get(spk, "one speaker") if spk else None
            if named is None and _one_name(quotes[i][1], quotes[j][1]):
                named = max((sp.text for k in (i, j) if (sp := quotes[k][1].speaker_span) is not None), key=len)
            out.append(_conflict(named, [quotes[k] for k in sorted(members)], quotes[i], quotes[j], shared, diffs))
    return out


def _self_differs(quotes: Sequence[tuple[str, Quote, list[str], str | None]], members: Sequence[int], roots: Sequence[str]) -> bool:
    """One report (with its copies) gives the utterance in two wordings: it tells two utterances
    (two questions of one list, a line said twice), not one misquoted by another outlet."""
    by_root: dict[str, list[int]] = defaultdict(list)
    for k in members:
        by_root[roots[k]].append(k)
    for ks in by_root.values():
        for n, a in enumerate(ks):
            for b in ks[n + 1:]:
                d = wording_diff(quotes[a][2], quotes[b][2])
                if d is not None and d[1]:
                    return True
    return False


def _one_name(a: Quote, b: Quote) -> bool:
    """Two reports name the speaker with the same last name ("President Trump" / "Donald Trump"):
    entity resolution can leave such speakers apart across reports; within one story, with the
    words agreeing as :func:`wording_diff` asks of one speaker, they are taken as one speaker. A
    pronoun or a lower-case description ("a spokesman") names no one."""
    na, nb = _surname(a), _surname(b)
    return na is not None and na == nb


def _surname(q: Quote) -> str | None:
    words = q.speaker_span.text.split() if q.speaker_span is not None else []
    last = words[-1].strip(".,'’") if words else ""
    if len(last) < 2 or not last[0].isupper() or last.lower() in NOT_SPEAKER_NAMES:
        return None
    return last.lower()


def _sharing_run(quotes: Sequence[tuple[str, Quote, list[str], str | None]]) -> list[tuple[int, int]]:
    """The pairs (i < j, in order) of quotes that give ``MIN_RUN`` words in a row alike, the least
    :func:`wording_diff` asks of one utterance: found through an index of each quote's runs of
    ``MIN_RUN`` words, so the work follows the candidates, not the square of a story's quotes."""
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, (_, _, words, _) in enumerate(quotes):
        for run in {tuple(words[k:k + MIN_RUN]) for k in range(len(words) - MIN_RUN + 1)}:
            index[run].append(i)
    pairs = {(i, j) for members in index.values() for n, i in enumerate(members) for j in members[n + 1:]}
    return sorted(pairs)


def _conflict(speaker: str | None, group, qa, qb, shared: int, diffs: list[tuple[str, str]]) -> Conflict:
    claims = [Claim(q.span, q.span.text) for _, q, _, _ in group]
    wa, wb = diffs[0]
    first = f"'{wa or '(nothing)'}' vs '{wb or '(nothing)'}'"
    who = f"{speaker}'s words" if speaker else "one quotation"
    basis = (f"{who}, one utterance: quotes in {len({g[0] for g in group})} reports of one story share {shared} words "
             f"in order; {qa[0]} and {qb[0]} differ inside them: {first}")
    summary = f"outlets give {who} differently: {first}" + (f" and {len(diffs) - 1} more" if len(diffs) > 1 else "")
    key = ["statement", speaker or ""] + [f"{c.span.doc}:{c.span.start}:{c.span.end}" for c in claims]
    return Conflict(stable_id("cfl_", key), "statement", item_id(qa[0], qa[1].id), summary, tuple(claims), basis=basis)
