"""Verbs of speech, one home: which verbs report what someone said.

Three uses, three sets built from one core, so that a verb added here reaches every component:

- ``STATEMENT_VERBS``: a public statement (events code one ``STATEMENT`` per reporting verb);
- ``REPORT_VERBS``: verbs that introduce a quotation or a reported clause (quotes);
- ``ATTRIBUTION_VERBS``: verbs that make their subject the source of a figure ("X proposed 5%").
"""

from __future__ import annotations

__all__ = ["STATEMENT_VERBS", "REPORT_VERBS", "ATTRIBUTION_VERBS"]

STATEMENT_VERBS = frozenset(
    "say state tell add note stress emphasize emphasise insist acknowledge confirm declare mention "
    "characterize characterise express argue explain reassure highlight".split()
)
REPORT_VERBS = STATEMENT_VERBS | frozenset(
    "warn claim announce deny reply respond assert caution urge admit concede remark describe reiterate "
    "suggest predict write tweet post comment affirm maintain contend underline underscore".split()
)
ATTRIBUTION_VERBS = STATEMENT_VERBS | frozenset(
    "suggest propose ask urge call demand expect claim estimate predict warn want announce".split()
)
