"""attendtoolkit.browser gives exactly the CLI's JSON for the same file, policy and date."""

import json

from attendtoolkit.browser import classify_file
from attendtoolkit.cli import main
from attendtoolkit.resources import read_text

from ..conftest import absent, long_register, present


def test_browser_json_equals_cli_json(tmp_path, capsys):
    data = long_register({"A": present(10) + absent("O", 5), "B": present(15)})
    path = tmp_path / "register.csv"
    path.write_bytes(data)
    main(["classify", str(path), "--as-of", "2024-09-18"])
    cli = capsys.readouterr().out
    browser = json.loads(classify_file(data, "register.csv", read_text("policies", "dfe-national.toml"),
                                       "dfe-national.toml", "2024-09-18"))
    assert browser["ok"] and browser["json"] == cli
    main(["classify", str(path), "--as-of", "2024-09-18", "--format", "csv"])
    assert browser["csv"] == capsys.readouterr().out


def test_a_bad_file_gives_a_plain_error():
    out = json.loads(classify_file(b"Name,Notes\nAmy,x\n", "notes.csv", read_text("policies", "dfe-national.toml"),
                                   "dfe-national.toml"))
    assert not out["ok"] and out["error"].startswith("notes.csv: cannot tell what kind of register")
