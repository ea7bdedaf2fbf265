"""A second council configuration, built as its own site: pages, contacts, letters and calculator
assets all follow it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ..conftest import build_site
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
