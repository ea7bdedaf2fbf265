"""MkDocs hook: a Content-Security-Policy meta tag, first in every page's <head>.

Only this site's own files may load; inline scripts are allowed by their sha256 hash alone.
'wasm-unsafe-eval' lets the calculator compile Python's WebAssembly; there is no 'unsafe-eval'.
Workers may start from blob: URLs: the calculator's worker does, so that it inherits this policy;
on the calculator page scripts may also come from blob: URLs (modules checked against their digest).
"""

from __future__ import annotations

import base64
import hashlib
import re

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_NOT_JS = re.compile(r"""type\s*=\s*["']?(application/json|text/template)""", re.IGNORECASE)


def _hashes(html: str) -> list[str]:
    found = []
    for m in _SCRIPT.finditer(html):
        attrs, body = m.group("attrs"), m.group("body")
        if "src=" in attrs or _NOT_JS.search(attrs) or not body.strip():
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        found.append(f"'sha256-{digest}'")
    return sorted(set(found))


def policy_for(html: str) -> str:
    # The calculator's worker runs the runtime's modules from blob: URLs of bytes it has checked.
    blob = ["blob:"] if 'id="atk-manifest"' in html else []
    scripts = " ".join(["'self'", *blob, "'wasm-unsafe-eval'", *_hashes(html)])
    return "; ".join([
        "default-src 'none'", f"script-src {scripts}", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:", "font-src 'self'", "connect-src 'self'", "worker-src 'self' blob:",
        "manifest-src 'self'", "base-uri 'self'", "form-action 'self'",
    ])


def on_post_page(output: str, page, config) -> str:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(output)}">'
    return re.sub(r"<head(\s[^>]*)?>", lambda m: m.group(0) + meta, output, count=1)


def on_post_template(output_content: str, template_name: str, config) -> str:
    """Pages built from templates rather than Markdown, such as 404.html."""
    return on_post_page(output_content, None, config) if template_name.endswith(".html") else output_content
