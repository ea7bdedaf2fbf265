"""The letter queue in Chromium (issue 12): tick boxes for every suggested letter, all ticked at
first; preview, print and the downloads make the ticked letters only; letters to one address are
shown together; "record these as sent" saves a letter log that, loaded the next time, brings the
next letter in the sequence."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..scenarios.test_letter_queue import EARLY, SEVERE, classify, queue_rows, register
from .test_calculator import DONE, LOAD_TIMEOUT, downloaded, open_calculator, upload
from .test_letters import fill_school

pytestmark = pytest.mark.browser


def boxes(page):
    return page.locator("#atk-queue input[type=checkbox]")


def box(page, pupil_id: str):
    return page.locator(f"#atk-queue input[data-pupil='{pupil_id}']")


def ticked_pairs(page) -> list[tuple[str, str]]:
    return [tuple(p) for p in page.eval_on_selector_all(
        "#atk-queue input:checked", "els => els.map((b) => [b.dataset.pupil, b.dataset.letter])")]


def merge_rows(text: str) -> list[tuple[str, str]]:
    return [(r["pupil_id"], r["letter"]) for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))]


def test_ticked_letters_are_the_ones_made_and_recorded_and_the_log_brings_the_next_letter(browser, served, tmp_path):
    from .conftest import Watched
    watched = Watched(browser, served.origin)
    # print() in the letters frame is counted instead of opening the print dialog
    watched.context.add_init_script("window.print = () => { window.atkPrinted = (window.atkPrinted || 0) + 1; };")
    page = watched.page
    data = register({"A": (EARLY, "1 Mill Close", ""), "B": (EARLY, "1 Mill Close", ""),
                     "C": (EARLY, "", ""), "D": (SEVERE, "", "")})
    path = tmp_path / "register.csv"
    path.write_bytes(data)
    expected = queue_rows(classify(data, "2024-09-13"))
    try:
        open_calculator(watched)
        fill_school(page)
        page.fill("#atk-school-date", "2024-09-13")
        page.fill("#atk-as-of", "2024-09-13")
        upload(watched, path)

        # every suggested letter, ticked, with its title and the pupil; one address together
        expect(boxes(page)).to_have_count(len(expected))
        assert ticked_pairs(page) == [(p, letter) for _t, p, letter in expected]
        expect(page.locator("#atk-queue-count")).to_have_text(f"{len(expected)} of {len(expected)} letters ticked.")
        expect(page.locator("#atk-queue label[for]").first).to_contain_text("Attendance concern (first letter)")
        home = page.locator(".atk-queue-home fieldset", has_text="Same family or address: 1 Mill Close (2 letters)")
        expect(home.locator("input[type=checkbox]")).to_have_count(2)
        expect(home.locator("input[data-pupil='A']")).to_have_count(1)
        expect(home.locator("input[data-pupil='B']")).to_have_count(1)

        # select none, then tick A with the keyboard and C by its label
        page.click("#atk-queue-none")
        expect(page.locator("#atk-queue-count")).to_have_text(f"0 of {len(expected)} letters ticked.")
        box(page, "A").focus()
        page.keyboard.press("Space")
        page.click("label[for='" + box(page, "C").get_attribute("id") + "']")
        expect(page.locator("#atk-queue-count")).to_have_text(f"2 of {len(expected)} letters ticked.")
        chosen = ticked_pairs(page)
        assert [p for p, _l in chosen] == ["A", "C"]

        page.click("#atk-letters-preview")
        frame = page.frame_locator("#atk-letters-frame")
        expect(frame.locator("article.atk-letter")).to_have_count(2)
        assert merge_rows(downloaded(watched, "#atk-letters-csv")) == chosen
        page.click("#atk-letters-print")
        expect(page.locator("#atk-letters-summary")).to_have_text(re.compile(r"^2 letters for 2 pupils\. "))
        expect(frame.locator("article.atk-letter")).to_have_count(2)
        page.wait_for_function("() => document.getElementById('atk-letters-frame').contentWindow.atkPrinted === 1")

        # untick C: the download has A's letter only
        box(page, "C").uncheck()
        html = downloaded(watched, "#atk-letters-html")
        assert html.count('<article class="atk-letter') == 1 and "PupilA" in html and "PupilC" not in html

        # tick C again, record both as sent on the letter date
        box(page, "C").check()
        with page.expect_download() as info:
            page.click("#atk-letters-record")
        log = Path(info.value.path()).read_text(encoding="utf-8-sig")
        assert info.value.suggested_filename == "register-letters-sent-2024-09-13.csv"
        assert list(csv.reader(io.StringIO(log))) == [["pupil_id", "letter", "date"],
                                                     ["A", "concern-1", "2024-09-13"], ["C", "concern-1", "2024-09-13"]]
        expect(page.locator("#atk-status")).to_contain_text("Saved 2 letters as sent on 13 September 2024")

        # two weeks later, with the log: the next letter in the sequence for A and C, the first for B
        page.fill("#atk-as-of", "2024-09-27")
        expect(page.locator("#atk-status")).to_have_text(DONE, timeout=LOAD_TIMEOUT)
        saved = tmp_path / "letters-sent.csv"
        saved.write_text(log, encoding="utf-8")
        page.set_input_files("#atk-letters-sent", str(saved))
        expect(page.locator("#atk-letters-log-note")).to_have_text("Letters already sent are read from letters-sent.csv.",
                                                                   timeout=LOAD_TIMEOUT)
        later = queue_rows(classify(data, "2024-09-27", log.encode()))
        assert ("A", "concern-2") in [(p, letter) for _t, p, letter in later]
        expect(box(page, "A")).to_have_attribute("data-letter", "concern-2")
        expect(box(page, "B")).to_have_attribute("data-letter", "concern-1")
        assert ticked_pairs(page) == [(p, letter) for _t, p, letter in later]
        assert watched.foreign() == [] and watched.errors == []
    finally:
        watched.close()


def test_choosing_one_letter_for_every_pupil_sets_the_queue_aside(watched, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(register({"A": (EARLY, "", ""), "B": (EARLY, "", "")}))
    page = watched.page
    open_calculator(watched)
    upload(watched, path)
    expect(boxes(page).first).to_be_enabled()
    page.select_option("#atk-letter-choice", "praise")
    expect(boxes(page).first).to_be_disabled()
    expect(page.locator("#atk-letter-choice-note")).to_contain_text("Every pupil gets the letter chosen")
