"""attendtoolkit.browser.handle answers each request of the worker protocol (toolkit/protocol.js)
with the reply the page expects; the worker adds only the request's id."""

import json
import re

import pytest

from attendtoolkit import browser
from attendtoolkit.render.letters import LetterSet, template_folders
from attendtoolkit.resources import read_text

from ..conftest import ROOT


@pytest.fixture
def started():
    letters = json.dumps(LetterSet.from_folders(template_folders(ROOT)).as_json())
    browser.start(read_text("policy", "shipped", "dfe-national.toml"), "dfe-national.toml", letters)
    posted = []
    return lambda message: json.loads(browser.handle(message, posted.append)), posted


def test_a_request_the_protocol_does_not_have_is_answered_with_an_error_naming_the_ones_it_has(started):
    ask, _ = started
    assert ask({"type": "classfy"}) == {
        "type": "error", "text": "The calculator's worker has no request called 'classfy'. "
                                 "It answers load, classify, downloads, letters, log, pupil, trend."}


@pytest.mark.native  # reads toolkit/, which the Pyodide run does not copy
def test_python_answers_the_requests_of_protocol_js_with_the_replies_it_names():
    text = (ROOT / "toolkit" / "protocol.js").read_text(encoding="utf-8")
    replies = dict(re.findall(r"(\w+): \"(\w+)\"", re.search(r"REPLIES = Object\.freeze\(\{(.*?)\}\)", text, re.S)[1]))
    assert set(browser.ANSWERS) == set(replies)


def test_a_register_is_answered_with_its_result_then_downloads_pupil_pages_letters_and_the_log(started):
    ask, posted = started
    data = (ROOT / "examples" / "register-long.csv").read_bytes()
    ready = ask({"type": "load"})
    assert ready["type"] == "ready" and ready["policy"]["name"] and ready["letters"]
    result = ask({"type": "classify", "buffer": data, "name": "register.csv", "asOf": None, "log": None, "dates": "dmy"})
    assert result["type"] == "result" and result["overview"]["source"]["file"] == "register.csv"
    assert json.loads(posted[0]) == {"type": "status", "text": "Classifying"}
    assert {json.loads(p)["step"] for p in posted[1:]} >= {"read", "headline", "classified"}
    downloads = ask({"type": "downloads"})
    assert downloads["type"] == "downloads" and downloads["json"] == json.loads(browser.download_files())["json"]
    context = json.dumps({key: result["overview"][key] for key in ("policy", "as_of", "source")} | {"letter_titles": {}})
    assert ask({"type": "pupil", "index": 0, "context": context}) == {"type": "pupil", "html": browser.pupil_page(0, context)}
    school = {"name": "Oak Tree High School", "address": "1 School Lane", "head_teacher": "Mrs J Patel",
              "attendance_lead": "Mr S Evans", "phone": "01234 567890", "email": "office@oaktree.example"}
    letters = ask({"type": "letters", "school": school, "only": "concern-1", "chosen": None})
    assert letters["type"] == "letters" and letters["count"] == result["overview"]["totals"]["pupils"]
    assert letters["mergeCsv"].startswith("letter,title,school_name")
    log = ask({"type": "log", "chosen": [["A", "concern-1"]], "day": "2024-09-18"})
    assert log == {"type": "log", "csv": browser.letter_log_file('[["A", "concern-1"]]', "2024-09-18")}


def test_a_file_the_engine_cannot_read_is_answered_with_an_error_in_its_words(started):
    ask, _ = started
    reply = ask({"type": "classify", "buffer": b"Name,Notes\nAmy,x\n", "name": "notes.csv"})
    assert reply["type"] == "error" and reply["text"].startswith("notes.csv: cannot tell what kind of register")


def test_a_workbook_without_the_excel_reader_is_answered_with_what_to_do(started, monkeypatch):
    ask, _ = started
    monkeypatch.setattr(browser, "have_reader", lambda: False)
    assert ask({"type": "classify", "buffer": b"PK\x03\x04....xl/workbook.xml", "name": "r.xlsx"}) == {
        "type": "error", "text": "This calculator has no Excel reader. Save the file as 'CSV UTF-8' and try again."}
