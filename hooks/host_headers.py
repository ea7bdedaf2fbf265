"""MkDocs hook: header files for common hosts in the built site's root folder (see
attendtoolkit.site.headers): `_headers` (Netlify, Cloudflare Pages), `.htaccess` (Apache) and an
nginx include. toolkit/serve.py sends the headers in `_headers` itself."""

from __future__ import annotations

from pathlib import Path

from attendtoolkit.site.headers import header_files


def on_post_build(config):
    for name, text in header_files().items():
        (Path(config.site_dir) / name).write_text(text, encoding="utf-8")
