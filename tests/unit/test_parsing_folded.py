import re

import pytest

from pipelines.nlp.parsing import boilerplate, credits, dates, pagetext
from pipelines.nlp.parsing.folded import FoldedPattern

PATTERNS = [boilerplate._DROP, boilerplate._TEASER_PREFIX, boilerplate._FOOTER_HEAD, dates._RELATIVE,
            credits._CREDIT_LINE, credits._AGENCIES_ONLY_LINE, credits._TRAILER, pagetext._UPDATED,
            pagetext._PUBLISHED, pagetext._STAMP_START]
LINES = ["Share", "SHARE THIS ARTICLE", "5 min read", "Related Articles", "READ MORE: Rates fall", "2 hours ago",
         "Updated 2 HOURS AGO", "REUTERS", "With AFP", "Reuters contributed to this report", "Staff and Agencies",
         "(Reporting by Jane Doe; Editing by John Roe)", "Published on March 4, 2025", "Last Modified on Tue",
         "Mis à jour le 4 mars", "Aktualisiert am 04.03.2025", "Lire aussi : la suite", "ſhare", "Kelvin ago",
         "İnternet", "Parliament approves the budget", "WWW.EXAMPLE.COM/NEWS", "", "   ", "Publié le 4 mars"]


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.pattern[:30])
def test_folded_match_agrees_with_ignorecase(pattern):
    reference = re.compile(pattern.pattern, re.I)
    for line in LINES:
        got, want = pattern.match(line), reference.match(line)
        assert (got is None) == (want is None), line
        if got is not None:
            assert got.span() == want.span() and got.re.groupindex == want.re.groupindex


def test_credit_line_names_keep_their_case():
    assert credits.credit_line_agencies("AFP / REUTERS") == ["AFP", "Reuters"]
    assert credits.credit_line_agencies("With dpa") == ["dpa"]


def test_upper_case_letters_in_a_folded_pattern_are_refused():
    with pytest.raises(ValueError):
        FoldedPattern(r"^[A-Z]\w+ staff$")
    assert FoldedPattern(r"^(?P<names>\S+)\W$").match("Reuters.") is not None
