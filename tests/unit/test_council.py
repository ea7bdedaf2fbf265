"""The council folder: validated with messages a non-programmer can act on; policy comparison."""

import shutil

import pytest

from attendtoolkit.cli import main
from attendtoolkit.policy.diff import policy_differences
from attendtoolkit.policy.council import CouncilError, contrast, load_council
from attendtoolkit.policy.load import load_policy

from ..conftest import ROOT

EXAMPLE = ROOT / "examples" / "council-knowsley"


@pytest.fixture
def council(tmp_path):
    folder = tmp_path / "council"
    shutil.copytree(EXAMPLE, folder)
    return folder


def problems(folder, old, new):
    path = folder / "council.toml"
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(CouncilError) as err:
        load_council(folder)
    return err.value.problems


def test_the_example_council_loads():
    c = load_council(EXAMPLE)
    assert c.name == "Knowsley Council (example)" and c.policy == "knowsley"
    assert c.primary == "#00594f" and len(c.contacts) == 2 and c.logo.name == "logo.svg"


def test_no_council_folder_means_the_national_handbook(tmp_path):
    c = load_council(tmp_path / "council")
    assert c.name == "" and c.active_policy() is None


def test_an_unknown_key_is_named_with_a_suggestion(council):
    found = problems(council, "site_name =", "sitename =")
    assert any("[council]: unknown key 'sitename'. Did you mean 'site_name'?" in p for p in found)


def test_a_colour_too_light_for_white_text_is_refused(council):
    found = problems(council, '"#00594f"', '"#ffdd00"')
    assert any("too light for white text" in p and "needs 4.5:1" in p for p in found)


def test_a_colour_must_be_a_hex_code(council):
    assert any("should be a colour like" in p for p in problems(council, '"#00594f"', '"green"'))


def test_a_missing_logo_file_is_named(council):
    assert any("there is no file crest.svg" in p for p in problems(council, '"logo.svg"', '"crest.svg"'))


def test_an_unknown_policy_is_explained(council):
    found = problems(council, 'policy = "knowsley"', 'policy = "knowsly"')
    assert any("'knowsly' is neither a shipped policy" in p for p in found)


def test_a_broken_policy_file_reports_its_own_problems(council):
    (council / "policy.toml").write_text('[policy]\nid = "x"\n')
    found = problems(council, 'policy = "knowsley"', 'policy = "policy.toml"')
    assert any(p.startswith("policy.toml: ") and "missing key 'name'" in p for p in found)


def test_contacts_need_a_valid_email_and_links_https(council):
    found = problems(council, 'email = "attendance@council.example"', 'email = "attendance"')
    assert any("'attendance' is not an email address" in p for p in found)
    assert any("should start with https://" in p for p in problems(council, 'url = "https://', 'url = "http://'))


def test_contrast_ratio_matches_wcag_examples():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_council_check_summarises_the_example(capsys):
    assert main(["council", "check", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "OK — Knowsley Council (example)" in out and "Letter overrides: praise" in out


def test_council_check_explains_a_broken_letter(council, capsys):
    (council / "letters" / "praise.html").write_text("{% extends '_layout.html' %}{% block body %}{{ oops(}}{% endblock %}")
    assert main(["council", "check", str(council)]) == 2
    assert "letter overrides have 1 problem:" in capsys.readouterr().err


def test_council_check_refuses_an_unknown_letter_name(council, capsys):
    (council / "letters" / "thank-you.html").write_text("<p>x</p>")
    assert main(["council", "check", str(council)]) == 2
    assert "thank-you.html: there is no upstream letter of that name" in capsys.readouterr().err


def test_policy_diff_names_changed_figures_and_rules():
    found = policy_differences(load_policy("dfe-national"), load_policy("knowsley"))
    assert "Stage 4 is called 'Statutory intervention' ('Statutory: severely absent' in National default (DfE groups))." \
        .replace("Stage 4", "Level 4") in found
    assert any(line.startswith("Flag 'Educational neglect indicator' is only in Knowsley") for line in found)


def test_policy_diff_of_a_policy_with_itself_is_empty(capsys):
    assert policy_differences(load_policy("swindon"), load_policy("swindon")) == []
    main(["policy", "diff", "swindon", "swindon"])
    assert "No differences" in capsys.readouterr().out


def test_council_check_runs_the_councils_own_scenarios(capsys):
    assert main(["council", "check", str(EXAMPLE)]) == 0
    assert "Scenarios: 2, all decided as written" in capsys.readouterr().out


def test_council_check_names_a_scenario_the_policy_decides_differently(council, capsys):
    (council / "scenarios" / "wrong.toml").write_text(
        '[[case]]\nname = "Half the sessions missed is level 1"\nmarks = "10 days present, 10 days O"\nstage = "1"\n')
    assert main(["council", "check", str(council)]) == 2
    err = capsys.readouterr().err
    assert "Half the sessions missed is level 1: stage is 4, expected 1" in err


def test_council_check_refuses_a_policy_that_names_a_letter_there_is_no_template_for(council, capsys):
    """A letter the council's policy names must have a template (a council's letters only replace
    upstream ones): the site would otherwise suggest a letter it cannot make."""
    policy = (ROOT / "src" / "attendtoolkit" / "policy" / "shipped" / "knowsley.toml").read_text()
    (council / "policy.toml").write_text(policy.replace('letters = ["la-referral"]', 'letters = ["panel-invite"]'))
    path = council / "council.toml"
    path.write_text(path.read_text().replace('policy = "knowsley"', f'policy = "{council / "policy.toml"}"'))
    assert main(["council", "check", str(council)]) == 2
    assert "suggests a letter called 'panel-invite', but there is no such letter" in capsys.readouterr().err
    (council / "policy.toml").write_text(policy)
    assert main(["council", "check", str(council)]) == 0
