"""Serve the built site on this machine only, with the MIME types the calculator needs and the
security headers the site build wrote into `_headers` (Content-Security-Policy with
`frame-ancestors 'none'`, which the pages' meta tags cannot give, and others).

    python toolkit/serve.py site 8000
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
         ".json": "application/json", ".toml": "text/plain; charset=utf-8", ".whl": "application/zip"}


def site_headers(folder: str) -> list[tuple[str, str]]:
    """The headers for every path (`/*`) in the site's `_headers` file (Netlify's format)."""
    path = Path(folder) / "_headers"
    headers, applies = [], False
    for line in path.read_text(encoding="utf-8").splitlines() if path.is_file() else []:
        if line.strip() and not line[0].isspace():
            applies = line.strip() == "/*"
        elif applies and ":" in line:
            name, value = line.split(":", 1)
            headers.append((name.strip(), value.strip()))
    return headers


class Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}
    headers_to_send: list[tuple[str, str]] = []

    def end_headers(self):
        for name, value in self.headers_to_send:
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002  quiet unless asked
        if "-v" in sys.argv:
            super().log_message(format, *args)


def server(directory: str, port: int = 8000, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    handler = type("SiteHandler", (Handler,), {"headers_to_send": site_headers(directory)})
    return ThreadingHTTPServer((host, port), functools.partial(handler, directory=directory))


if __name__ == "__main__":
    folder, port = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 8000
    httpd = server(folder, port)
    print(f"Serving {folder} at http://127.0.0.1:{port}/ (Ctrl+C to stop)", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
