"""Text from a register or a council template that tries to do harm: escape sequences for the
terminal, invisible direction controls in names, HTML marked safe, broken templates, and letters
that could load something."""

import csv
import io
import re
import shutil

import pytest

from attendtoolkit.cli import for_terminal, main
from attendtoolkit.read.register import RegisterError
from attendtoolkit.render.letters import (LETTERS_CSP, LetterError, LetterSet, merge_csv, plan, render_html,
                                       template_folders)
from attendtoolkit.results.csv_writer import result_csv, safe_cell

from ..conftest import ROOT, absent, long_rows, present, run, to_csv
from .test_letters import LETTERS, SCHOOL

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
EXAMPLE_COUNCIL = ROOT / "examples" / "council-knowsley"


def register(forename: str) -> bytes:
    rows = long_rows({"A": present(15) + absent("O", 5)})
    return to_csv(["UPN", "Forename", "Parent/Carer Name", "Date", "Session", "Mark"],
                  [[r[0], forename, f"Parent of {forename}", *r[1:]] for r in rows])


def test_bidi_controls_are_taken_out_of_names_in_letters():
    """A right-to-left override in 'Amy\u202eXXX' would show the rest of the name backwards."""
    result = run(register(f"Amy{RLO}ecilA{PDF}"))
    html = render_html(plan(result, LETTERS, SCHOOL, only="concern-1"), LETTERS)
    assert "AmyecilA" in html and not any(c in html for c in (RLO, PDF))


def test_bidi_controls_are_taken_out_of_every_csv_cell():
    assert safe_cell(f"{LRI}=1+1{PDI}") == "'=1+1"
    text = result_csv(run(register(f"Amy{RLO}ecilA")))
    assert RLO not in text and "AmyecilA" in text


def test_the_letters_document_says_it_loads_nothing():
    html = render_html([LETTERS.example("praise", "typical")], LETTERS)
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert meta and meta.group(1) == LETTERS_CSP
    assert "default-src 'none'" in LETTERS_CSP and "script-src" not in LETTERS_CSP


@pytest.fixture
def council(tmp_path):
    folder = tmp_path / "council"
    shutil.copytree(EXAMPLE_COUNCIL, folder)
    return folder


def broken(council, body: str) -> str:
    (council / "letters" / "praise.html").write_text("{% extends '_layout.html' %}{% block body %}\n" + body
                                                      + "\n{% endblock %}")
    with pytest.raises(LetterError) as err:
        render_html([LetterSet.from_folders(template_folders(council.parent)).example("praise", "typical")],
                    LetterSet.from_folders(template_folders(council.parent)))
    return str(err.value)


def test_a_template_with_a_syntax_error_is_a_plain_message_naming_file_and_line(council):
    message = broken(council, "<p>{{ pupil_name }</p>")
    assert message.startswith("praise.html, line 2: the template is not written correctly")
    assert "Traceback" not in message


def test_a_template_using_a_field_that_does_not_exist_lists_the_fields(council):
    message = broken(council, "<p>{{ pupil_surname }}</p>")
    assert message.startswith("praise.html: the template uses something that does not exist")
    assert "'pupil_surname' is undefined" in message and "pupil_name, forename" in message


def test_a_template_reaching_outside_the_sandbox_is_refused_plainly(council):
    message = broken(council, "{{ pupil_name.__class__.__mro__ }}")
    assert "the template does something letters may not do" in message or "does not exist" in message


def test_the_letters_command_shows_a_template_error_without_a_traceback(council, tmp_path, capsys):
    (council / "letters" / "praise.html").write_text("{% extends '_layout.html' %}{% block body %}{{ x }}{% endblock %}")
    path = tmp_path / "r.csv"
    path.write_bytes(register("Amy"))
    school = tmp_path / "school.toml"
    school.write_text((ROOT / "examples" / "school.toml").read_text())
    assert main(["letters", str(path), "--school", str(school), "--letter", "praise", "--templates",
                 str(council.parent)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: praise.html: the template uses something that does not exist") and "Traceback" not in err


@pytest.mark.parametrize("template", [
    "<p>{{ pupil_name | safe }}</p>",
    "<p>{{ (forename ~ ' ' ~ pupil_name) | safe }}</p>",
    "{% autoescape false %}<p>{{ parent_address }}</p>{% endautoescape %}",
])
def test_council_check_warns_when_a_pupil_field_is_marked_safe(council, capsys, template):
    (council / "letters" / "praise.html").write_text("{% extends '_layout.html' %}{% block body %}" + template
                                                      + "{% endblock %}")
    assert main(["council", "check", str(council)]) == 0
    out = capsys.readouterr().out
    assert "Warning: praise.html, line 1:" in out and "comes from the register but is marked as safe HTML" in out


def test_council_check_does_not_warn_about_safe_on_the_councils_own_text(council, capsys):
    (council / "letters" / "praise.html").write_text(
        "{% extends '_layout.html' %}{% block body %}{{ '<b>Well done</b>' | safe }} {{ pupil_name }}{% endblock %}")
    assert main(["council", "check", str(council)]) == 0
    assert "Warning" not in capsys.readouterr().out


ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b31m\r"


def test_for_terminal_removes_escape_sequences_but_keeps_text_and_new_lines():
    assert for_terminal(f"Year{ESCAPES} 7\n\tok") == "Year]0;owned[2J31m 7\n\tok"


def test_escape_sequences_in_a_header_are_not_echoed_to_the_terminal(tmp_path, capsys):
    path = tmp_path / f"register{RLO}vsc.csv"
    path.write_bytes(to_csv([f"Name{ESCAPES}", "Notes"], [["Amy", "hello"]]))
    assert main(["classify", str(path)]) == 2
    err = capsys.readouterr().err
    assert "cannot tell what kind of register" in err
    assert not any(c in err for c in "\x1b\x07\x9b\r" + RLO)


def test_escape_sequences_in_a_typed_argument_are_not_echoed(capsys):
    with pytest.raises(SystemExit):
        main(["classify", "x.csv", "--as-of", f"2024{ESCAPES}"])
    assert "\x1b" not in capsys.readouterr().err


def test_a_cell_too_long_to_read_is_a_plain_error_naming_the_row():
    """An open quote mark runs the rest of the file into one cell; the csv module then refuses it."""
    data = b'UPN,Date,Session,Mark\nA,02/09/2024,AM,/\nB,02/09/2024,AM,"' + b"x" * 200_000 + b"\n"
    with pytest.raises(RegisterError, match=r"^test.csv: row 3, column 'Mark': a quote mark \(\"\) opens this cell "
                                            r"and is never closed"):
        run(data)


def test_the_merge_csv_keeps_names_readable_without_direction_controls():
    result = run(register(f"{LRI}Amy{PDI}"))
    rows = list(csv.reader(io.StringIO(merge_csv(plan(result, LETTERS, SCHOOL, only="concern-1")))))
    assert rows[1][rows[0].index("forename")] == "Amy"
