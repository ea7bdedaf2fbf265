"""A second council configuration, built as its own site: pages, contacts, letters and calculator
assets all follow it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT, build_site
from .test_handbook_build import text_of


@pytest.fixture(scope="module")
def council_site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("council") / "site", council="examples/council-knowsley")


def test_the_site_has_the_councils_name(council_site):
    assert "<title>Knowsley attendance handbook (example)</title>" in \
        (council_site / "index.html").read_text(encoding="utf-8")


def test_stage_pages_follow_the_councils_policy(council_site):
    page = text_of(council_site / "approach" / "stage-4" / "index.html")
    assert "Level 4: Statutory intervention" in page
    assert "attendance 75% or less over the last 6 school weeks" in page.lower()


def test_contacts_and_local_pages_are_there(council_site):
    contacts = text_of(council_site / "contacts" / "index.html")
    assert "School Attendance Service" in contacts and "0151 000 0000" in contacts
    assert "Local support for families" in text_of(council_site / "local-support" / "index.html")


def test_the_councils_letter_wording_is_used(council_site):
    assert "Everyone at school is proud" in text_of(council_site / "letters" / "praise" / "index.html")
    folder = next(council_site.glob("assets/calculator-*"))
    letters = json.loads((folder / "letters.json").read_text())
    assert "Everyone at school is proud" in letters["praise.html"]


def test_the_calculator_uses_the_councils_policy(council_site):
    folder = next(council_site.glob("assets/calculator-*"))
    assert 'id = "knowsley"' in (folder / "policy.toml").read_text()


def test_the_councils_colours_and_logo_are_applied(council_site):
    assert "--md-primary-fg-color: #00594f;" in (council_site / "assets" / "council.css").read_text()
    html = (council_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="[./]*assets/council\.css"', html) and "council-logo.svg" in html


def test_a_council_page_with_an_unknown_marker_stops_the_build_naming_the_page_and_the_marker(tmp_path):
    """A fact is never left blank: the build fails, and the message says which file and which marker."""
    pages = tmp_path / "council" / "pages"
    pages.mkdir(parents=True)
    (pages / "codes.md").write_text("# Register codes\n\nPersistent absence starts at "
                                    "<!-- atk:threshold persistant_absence -->.\n", encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", ATTENDTOOLKIT_COUNCIL=str(tmp_path / "council"))
    env.pop("ATTENDTOOLKIT_POLICY", None)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode != 0
    assert (f"{pages / 'codes.md'}: marker <!-- atk:threshold persistant_absence -->: 'persistant_absence' is not a "
            "threshold in this policy") in done.stderr
    assert "Traceback" not in done.stderr


def test_a_council_replaces_a_section_start_page_and_the_templates_with_its_own(tmp_path):
    """council/pages/ holds pages at the path they have in docs/: the approach section's first page,
    and in templates/ the stage pages' template and the way back example."""
    pages = tmp_path / "council" / "pages"
    (pages / "approach").mkdir(parents=True)
    (pages / "templates").mkdir()
    (pages / "approach" / "index.md").write_text(
        "# Our approach\n\nOur own words: persistent absence starts at <!-- atk:threshold persistent_absence -->.\n",
        encoding="utf-8")
    (pages / "templates" / "stage.md").write_text(
        "# <!-- atk:stage title -->\n\nOur own stage page. <!-- atk:stage summary -->\n", encoding="utf-8")
    (pages / "templates" / "way-back.md").write_text(
        "\n## Our way back\n\n<!-- atk:way-back name --> needs <!-- atk:way-back days-needed --> in school.\n",
        encoding="utf-8")
    site = build_site(tmp_path / "site", council=str(tmp_path / "council"))
    assert "Our own words: persistent absence starts at 10%." in text_of(site / "approach" / "index.html")
    assert "Our own stage page." in text_of(site / "approach" / "stage-2" / "index.html")
    assert "Nia needs 51 school days in school." in text_of(site / "lost-learning" / "index.html")
    assert not (site / "templates").exists()
