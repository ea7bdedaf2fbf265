"""The handbook site: strict build, pages follow the policy, no other origin, no broken links."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from attendtoolkit.resources import read_text

from ..conftest import build_site


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("site") / "site")


def text_of(page: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


class Links(HTMLParser):
    """Every src and href: `loads` are fetched by the page itself, `links` only when a person follows them."""

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value:
                (self.links if tag == "a" else self.loads).append(value)


def parsed(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def links(page: Path) -> list[str]:
    p = parsed(page)
    return p.loads + p.links


def external(url: str) -> bool:
    return urlparse(url).scheme in ("http", "https") or url.startswith("//")


# Sites a reader may follow a link to (guidance and legislation); the pages never load from them.
LINKED_SITES = ("https://www.gov.uk/", "https://www.legislation.gov.uk/", "https://explore-education-statistics.service.gov.uk/")


def test_every_stage_has_a_page_with_its_figures(site):
    for stage, figure in (("1", "Every pupil starts here."), ("2", "attendance below 95% over the year so far"),
                          ("3", "absence 10% or more"), ("4", "absence 50% or more")):
        page = site / "approach" / f"stage-{stage}" / "index.html"
        assert figure.lower() in text_of(page).lower(), stage


def test_changing_a_threshold_in_the_policy_changes_the_stage_page(tmp_path):
    policy = tmp_path / "policy.toml"
    national = read_text("policy", "shipped", "dfe-national.toml")
    policy.write_text(national.replace("[thresholds.at_risk_attendance]\nvalue = 95",
                                       "[thresholds.at_risk_attendance]\nvalue = 93.5"), encoding="utf-8")
    site = build_site(tmp_path / "site", str(policy))
    page = text_of(site / "approach" / "stage-2" / "index.html")
    assert "attendance below 93.5% over the year so far" in page.lower()
    assert "below 95%" not in page


def test_a_policy_with_other_stage_names_gives_other_pages(tmp_path):
    site = build_site(tmp_path / "site", "knowsley")
    assert "Level 4: Statutory intervention" in text_of(site / "approach" / "stage-4" / "index.html")


def test_no_page_loads_anything_from_another_origin(site):
    offenders = []
    for page in site.rglob("*.html"):
        found = parsed(page)
        offenders += [(page.name, u) for u in found.loads if external(u)]
        offenders += [(page.name, u) for u in found.links if external(u) and not u.startswith(LINKED_SITES)]
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if external(url):
                offenders.append((css.name, url))
    assert offenders == []


def test_internal_links_resolve(site):
    broken = []
    for page in site.rglob("*.html"):
        base = "/" + page.relative_to(site).as_posix()
        for url in links(page):
            parsed = urlparse(url)
            if parsed.scheme or url.startswith(("#", "mailto:", "data:")):
                continue
            target = urlparse(urljoin(base, url)).path
            path = site / target.lstrip("/")
            if not (path.is_file() or (path / "index.html").is_file()):
                broken.append((base, url))
    assert broken == []


def test_abbreviations_are_explained_on_every_page(site):
    approach = (site / "approach" / "index.html").read_text(encoding="utf-8")
    glossary = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="Persistent absence">PA</abbr>' in glossary
    assert '<abbr title="Department for Education">DfE</abbr>' in approach


def test_tables_have_captions_and_header_scopes(site):
    html = (site / "codes" / "index.html").read_text(encoding="utf-8")
    assert html.count("<caption>") == 2 and 'scope="col"' in html and 'scope="row"' in html


def test_pages_say_when_they_were_last_updated(site):
    for page in (site / "index.html", site / "approach" / "stage-2" / "index.html"):
        assert re.search(r"Last updated \d{1,2} [A-Z][a-z]+ \d{4}\.", text_of(page)), page


def test_the_calculator_assets_are_built_with_a_site_local_lock(site):
    folder = next(site.glob("assets/calculator-*"))
    names = {p.name for p in folder.iterdir()}
    assert {"pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json", "policy.toml",
            "calculator.js", "worker.js"} <= names
    lock = json.loads((folder / "pyodide-lock.json").read_text())
    for package in lock["packages"].values():
        wheel = folder / package["file_name"]
        assert hashlib.sha256(wheel.read_bytes()).hexdigest() == package["sha256"], package["name"]


def test_the_excel_reader_is_vendored_for_the_pyodide_in_the_site_at_the_clis_version(site):
    """The calculator and the command line read a workbook with the same python-calamine."""
    import importlib.metadata
    folder = next(site.glob("assets/calculator-*"))
    lock = json.loads((folder / "pyodide-lock.json").read_text())
    calamine = lock["packages"]["python-calamine"]
    assert calamine["version"] == importlib.metadata.version("python-calamine")
    assert calamine["imports"] == ["python_calamine"]
    platform = f"pyemscripten_{lock['info']['abi_version']}_{lock['info']['arch']}"
    assert calamine["file_name"].endswith(f"-cp314-cp314-{platform}.whl")
    assert calamine["name"] in lock["packages"]["attendtoolkit"]["depends"]  # loaded with the engine, before cut-off


def test_every_page_has_a_content_security_policy_first_in_head(site):
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert re.search(r"<head[^>]*><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';", html), page
        assert "'unsafe-eval'" not in html


def test_every_letter_has_a_page_with_a_preview(site):
    for name in ("concern-1", "concern-2", "meeting-invitation", "notice-to-improve", "attendance-contract",
                 "la-referral", "praise"):
        html = (site / "letters" / name / "index.html").read_text(encoding="utf-8")
        assert 'class="atk-letter"' in html and "When to use it" in html, name


def test_no_page_calls_its_sources_seeds(site):
    """Sources are cited by their real titles (issue 14): no built page says "seed" anywhere."""
    found = [page.relative_to(site).as_posix() for page in site.rglob("*.html")
             if "seed" in page.read_text(encoding="utf-8").lower()]
    assert found == []


@pytest.mark.parametrize("path, sources", [
    ("social-workers", ["Supporting Social Workers to Improve the Attendance of Children with a Social Worker",
                        "Working together to improve school attendance", "Attendance Strategy 2022-2025"]),
    ("governors", ["Working together to improve school attendance", "Knowsley Attendance Handbook 2021-2024"]),
    ("export", ["Attendance Reports Specification", "How a member of the Admin team can take attendance",
                "Attendance FAQ", "How to use Register Update Parameters", "Manage Register",
                "Year End Step 2 - Archive Attendance"]),
    ("early-years", ["Education Act 1996, section 8",
                     "The School Attendance (Pupil Registration) (England) Regulations 2024"]),
])
def test_the_pages_for_social_workers_governors_early_years_and_export_name_their_sources(site, path, sources):
    text = text_of(site / path / "index.html")
    for source in sources:
        assert source in text, f"{path}: {source}"


def test_the_early_years_page_keeps_code_x_for_sessions_a_child_is_not_expected_to_attend(site):
    """Code X: a pupil of non-compulsory school age not required to attend (School Attendance (Pupil
    Registration) (England) Regulations 2024, regulation 10). A missed session the child was expected
    at is an absence with the code for its reason."""
    text = text_of(site / "early-years" / "index.html")
    assert "Code X is only for sessions the child is not expected to attend" in text
    assert "record the absence with the code for the reason" in text
    assert "records it with code X" not in text


def test_no_handbook_page_says_parenting_contract_without_the_new_name(site):
    """The 2024 guidance calls it an attendance contract; the old name appears only beside the new one."""
    for page in site.rglob("*.html"):
        text = text_of(page)
        for match in re.finditer(r"parenting contract", text, re.IGNORECASE):
            nearby = text[max(0, match.start() - 120): match.end() + 120].lower()
            assert "attendance contract" in nearby, f"{page.relative_to(site)}: {nearby}"


def test_the_absence_page_shows_the_national_figures_by_phase_with_year_and_source(site):
    """Pupil absence in schools in England, academic year 2023/24: overall absence 7.1% in all schools,
    5.5% in primary, 8.9% in secondary and 13.0% in special schools."""
    text = text_of(site / "absence" / "index.html")
    for row in ("England, all schools, 2023/24 92.9% 7.1% 20.0% 2.3%", "England, primary schools, 2023/24 94.5% 5.5%",
                "England, secondary schools, 2023/24 91.1% 8.9%", "England, special schools, 2023/24 87.0% 13.0%",
                "England, all schools, 2018/19 95.3% 4.7%"):
        assert row in text
    assert "Pupil absence in schools in England, academic year 2023/24 (Department for Education)" in text
    assert "2019/20" not in text


def test_the_legal_page_follows_the_guidance_order_formalise_support_then_enforce(site):
    """Working together to improve school attendance (August 2024): where voluntary support has not
    worked, formalise it through an attendance contract or an education supervision order; where all
    else has failed, enforce attendance through a penalty notice under the national framework (a notice
    to improve first) or prosecution."""
    text = text_of(site / "legal" / "index.html")
    body = text[text.index("Legal interventions &para;"):]
    steps = ["Formalise support &para;", "Attendance contract (called a parenting contract", "Education supervision order.",
             "Enforce &para;", "Notice to improve.", "Penalty notice. A fine", "Prosecution. The local authority",
             "School attendance orders: a child who is not on a school roll"]
    places = [body.index(step) for step in steps]
    assert places == sorted(places)


def test_the_legal_page_explains_school_attendance_orders_with_the_sections_of_the_act(site):
    """Education Act 1996, section 437: a notice giving the parent at least 15 days to show the child is
    getting a suitable education, then an order naming a school; failing to comply is an offence (section
    443), and an education supervision order is considered before prosecuting (section 447)."""
    text = text_of(site / "legal" / "index.html")
    for part in ("at least 15 days", "register the child at the school named in it (section 437(3))",
                 "Not following the order is an offence (section 443)",
                 "Source: Education Act 1996, sections 437, 438, 443 and 447"):
        assert part in text, part
    glossary = text_of(site / "glossary" / "index.html")
    assert "School attendance order ( SAO ) An order from the local authority" in glossary


def test_the_absence_page_says_plainly_which_national_figures_are_not_shown(site):
    """No figure is guessed: the 2024/25 full year and the unchecked persistent and severe absence figures
    are named as not shown, with the reason."""
    text = text_of(site / "absence" / "index.html")
    assert ("Not shown yet: The full school year 2024/25: no figures are shown, because the Department for "
            "Education&#x27;s full-year figures") in text
    for row in ("England, secondary schools, 2023/24", "England, special schools, 2023/24",
                "England, all schools, 2018/19"):
        assert f"{row}: persistent absence and severe absence are not shown" in text, row
