"""Browser benchmark: the calculator in Chromium against the native engine on the same files.

    .venv/bin/python -m benchmarks.browser [--pupils 1500]     # from the repository root

Builds the site, serves it on 127.0.0.1, and prints: cold start (navigation to "Ready"), file to
first figures (the summary cards shown while the rest is worked out) and to results for long and
wide registers and the wide one as an Excel workbook, the native engine's time on the same file in
the same run,
the bytes the page downloaded, the longest main-thread task after the result arrived, and how long
sorting and filtering the pupil table take.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from attendtoolkit import analyse, json_text
from benchmarks.generate import write, write_workbook
from toolkit.serve import server

ROOT = Path(__file__).resolve().parents[1]

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# Records every main-thread task over 50 ms (the Long Tasks API), from the first script on.
LONG_TASKS = """window.atkLongTasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.atkLongTasks.push(e.duration); })
  .observe({ type: "longtask", buffered: true });"""
# Sorting and filtering redraw the table synchronously, so the time of the call is the time to redraw.
SORT = """() => { const t = performance.now();
  document.querySelector("button[data-sort=attendance]").click(); return performance.now() - t; }"""
FILTER = """() => { const box = document.getElementById("atk-filter-stage"); const t = performance.now();
  box.value = ""; box.dispatchEvent(new Event("change", { bubbles: true })); return performance.now() - t; }"""

# File chosen to the summary cards' first figures on screen (performance marks set by calculator.js and results.js).
FIRST_FIGURES = """() => { const chosen = performance.getEntriesByName("atk-file-chosen").pop().startTime;
  const shown = performance.getEntriesByName("atk-first-figures").pop().startTime;
  performance.clearMarks(); return (shown - chosen) / 1000; }"""

# When each step of the cold start began, in seconds from navigation (the worker's status messages).
STEPS = """() => performance.getEntriesByType("mark").filter((m) => m.name.startsWith("atk-status: "))
  .map((m) => [m.name.slice(12), m.startTime / 1000])"""


def native(path: Path) -> float:
    start = time.perf_counter()
    json_text(analyse(path))
    return time.perf_counter() - start


def seconds_in(status: str) -> float:
    return float(re.search(r"\(([\d.]+) s\)", status).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pupils", type=int, default=1500)
    args = parser.parse_args()
    files = write(args.pupils, 190)
    files = (*files, write_workbook(files[1]))
    from playwright.sync_api import expect, sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=ROOT, check=True)
        httpd = server(str(site), 0)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{httpd.server_address[1]}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            sizes: list[int] = []
            context = browser.new_context()
            page = context.new_page()
            page.on("response", lambda r: sizes.append(int(r.headers.get("content-length", 0))))
            page.add_init_script(LONG_TASKS)
            start = time.perf_counter()
            page.goto(origin + "/calculator/")
            status = page.locator("#atk-status")
            expect(status).to_have_text(re.compile("^Ready"), timeout=120_000)
            cold = time.perf_counter() - start
            print(f"cold start to ready: {cold:.2f} s (page's own count {seconds_in(status.text_content()):.1f} s); "
                  f"downloaded {sum(sizes) / 1e6:.1f} MB uncompressed in {len(sizes)} requests")
            print("  " + "; ".join(f"{name} at {at:.2f} s" for name, at in page.evaluate(STEPS)))
            print(f"{'file':<24}{'MB':>6}{'first figures':>15}{'browser':>10}{'native':>9}{'ratio':>7}"
                  f"{'longest task':>14}{'sort':>8}{'filter':>8}")
            for path in files:
                page.evaluate("() => { window.atkLongTasks.length = 0; }")
                page.set_input_files("#atk-file", str(path))
                expect(status).to_have_text(re.compile("^Done"), timeout=300_000)
                in_browser = seconds_in(status.text_content())
                first = page.evaluate(FIRST_FIGURES)
                expect(page.locator("#atk-pupil-table tbody tr").first).to_be_visible()
                page.wait_for_timeout(1000)
                longest = page.evaluate("() => Math.max(0, ...window.atkLongTasks)")
                sort = page.evaluate(SORT)
                page.select_option("#atk-filter-stage", index=1)  # then time going back to every pupil
                filter_ = page.evaluate(FILTER)
                here = native(path)
                print(f"{path.name:<24}{path.stat().st_size / 1e6:>6.1f}{first:>14.2f}s{in_browser:>9.2f}s{here:>8.2f}s"
                      f"{in_browser / here:>6.1f}x{longest:>12.0f}ms{sort:>6.0f}ms{filter_:>6.0f}ms")
            browser.close()
        httpd.shutdown()


if __name__ == "__main__":
    main()
