"""The HTML report: self-contained, with the summary, contacts, trend and groups."""

import re
from html import unescape

from attendtoolkit.cli import main

from ..conftest import ROOT


def test_the_report_is_self_contained_and_has_every_section(tmp_path):
    out = tmp_path / "report.html"
    assert main(["report", str(ROOT / "examples" / "register-long.csv"), "-o", str(out)]) == 0
    html = out.read_text()
    for heading in ("Summary", "This week's worklist", "Week by week", "Groups of pupils"):
        assert re.search(rf"<h2[^>]*>{heading}", unescape(html))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "url(" not in html and "<script" not in html
    assert '<svg class="atk-trend"' in html and "<title id=\"atk-trend-title\">" in html


def test_a_summary_file_report_says_there_is_no_trend(tmp_path):
    register = tmp_path / "s.csv"
    register.write_text("UPN,Possible,Present,Authorised,Unauthorised\nA,100,90,5,5\n")
    out = tmp_path / "report.html"
    assert main(["report", str(register), "-o", str(out)]) == 0
    assert "no week-by-week trend" in out.read_text()
