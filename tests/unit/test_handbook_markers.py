"""The handbook's words are Markdown in docs/; `<!-- atk:NAME -->` markers in them are filled from the
policy, and a marker nobody knows is an error that names the page and the marker, never a blank."""

import pytest

from attendtoolkit.policy.council import load_council
from attendtoolkit.policy.load import load_policy
from attendtoolkit.render.letters import LetterSet, template_folders
from attendtoolkit.resources import list_names
from attendtoolkit.site.handbook import (CONTACTS_TEMPLATE, FILLERS, LETTER_TEMPLATE, STAGE_TEMPLATE, Facts,
                                         MarkerError, fill_page, generated_pages)
from attendtoolkit.site.markers import markers_in

from ..conftest import ROOT

DOCS = ROOT / "docs"
LETTERS = LetterSet.from_folders(template_folders(ROOT))
TEMPLATES = {STAGE_TEMPLATE, LETTER_TEMPLATE, CONTACTS_TEMPLATE}


def example_council():
    return load_council(ROOT / "examples" / "council-knowsley")


def pages_and_facts(policy, council):
    """Every page of docs/ with markers, with the facts the build fills it from: the templates once
    for each stage, letter and the contacts page, every other page with the site's facts."""
    made = generated_pages(policy, LETTERS, council)
    for path in sorted(DOCS.rglob("*.md")):
        name = path.relative_to(DOCS).as_posix()
        if name in TEMPLATES:
            yield from ((f"{name} (for {page})", path, facts) for page, (t, facts) in made.items() if t == name)
        elif not name.startswith("templates/"):
            yield name, path, Facts(policy, LETTERS, council)


@pytest.mark.parametrize("policy_name", list_names("policy/shipped", ".toml"))
def test_every_marker_in_docs_is_known_and_filled_for_every_shipped_policy(policy_name):
    council = example_council()
    filled = 0
    for name, path, facts in pages_and_facts(load_policy(policy_name), council):
        text = path.read_text(encoding="utf-8")
        out = fill_page(text, name, facts)
        assert markers_in(out) == [], name
        filled += len(markers_in(text))
    assert filled > 100


def test_every_page_made_from_a_template_has_a_template_in_docs():
    made = generated_pages(load_policy("knowsley"), LETTERS, example_council())
    assert {template for template, _ in made.values()} == TEMPLATES
    assert all((DOCS / template).is_file() for template in TEMPLATES)


def test_the_legal_page_shows_the_penalty_amounts_from_the_data_file():
    """Working together to improve school attendance (August 2024), national framework: a first notice
    is £80 paid within 21 days or £160 within 28; a second within three years is £160; no more than two."""
    page = fill_page((DOCS / "legal.md").read_text(encoding="utf-8"), "docs/legal.md", Facts(load_policy()))
    assert "is £80 if paid within\n  21 days, or £160 if paid within 28 days." in page
    assert "A second notice for the same child within three years is £160" in page
    assert "No more than two notices can be issued" in page
    assert "10 or more sessions coded G, N, O or U within the last 10 school weeks (a rolling period). The" in page


def test_an_unknown_marker_names_the_page_and_the_marker():
    with pytest.raises(MarkerError) as problem:
        fill_page("Text\n\n<!-- atk:table stagez -->\n", "docs/approach/index.md", Facts(load_policy()))
    message = str(problem.value)
    assert message.startswith("docs/approach/index.md: unknown marker <!-- atk:table stagez -->.")
    assert "table stages" in message and "threshold NAME" in message


def test_a_threshold_the_policy_does_not_have_is_named_with_the_ones_it_has():
    with pytest.raises(MarkerError) as problem:
        fill_page("<!-- atk:threshold persistent_absense -->", "docs/absence.md", Facts(load_policy()))
    assert str(problem.value).startswith("docs/absence.md: marker <!-- atk:threshold persistent_absense -->: "
                                         "'persistent_absense' is not a threshold in this policy; it has ")
    assert "persistent_absence" in str(problem.value)


@pytest.mark.parametrize("written", ["<!-- atk:threshold -->", "<!-- atk:stage-word upper -->", "<!-- atk: -->",
                                     "<!--atk table stages-->", "<!-- atk:policy name extra words -->"])
def test_a_marker_without_its_argument_or_with_one_it_does_not_take_is_unknown(written):
    with pytest.raises(MarkerError, match="docs/codes.md: unknown marker"):
        fill_page(written, "docs/codes.md", Facts(load_policy()))


def test_a_stage_marker_outside_a_stage_page_says_where_it_belongs():
    with pytest.raises(MarkerError, match=r"docs/codes.md: marker <!-- atk:stage summary -->: this marker is only "
                                          r"for the stage pages \(docs/templates/stage.md\)"):
        fill_page("<!-- atk:stage summary -->", "docs/codes.md", Facts(load_policy()))


def test_a_value_marker_fills_inside_a_sentence():
    policy = load_policy("knowsley")
    assert fill_page("Each <!-- atk:stage-word lower --> from <!-- atk:threshold persistent_absence -->.", "x.md",
                     Facts(policy)) == "Each level from 10%."


def test_every_filler_is_described_in_the_adapt_page():
    """docs/adapt.md lists the markers an editor can use; a new filler is listed there too."""
    adapt = (DOCS / "adapt.md").read_text(encoding="utf-8")
    missing = [name for name, filler in FILLERS.items()
               if f"`<!-- atk:{name}{' NAME' if filler.takes else ''} -->`" not in adapt]
    assert missing == []
