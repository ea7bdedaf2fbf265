"""HTTP headers for the built site, in the files common hosts read: what a page's meta tag cannot
say (`frame-ancestors 'none'`: no other site may show these pages in a frame) and a second,
site-wide Content-Security-Policy for the pages.

The pages' own meta tags stay the stricter policy (inline scripts by hash only); the browser
enforces both, so 'unsafe-inline' here adds nothing where the meta tag is present. The
calculator's Web Worker takes its policy from the calculator page's meta tag (it starts from a
blob: URL, which inherits it; Chromium does not pass a header policy on to it).
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'", "script-src 'self' blob: 'unsafe-inline' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:", "font-src 'self'", "connect-src 'self'",
    "worker-src 'self' blob:", "manifest-src 'self'", "object-src 'none'", "base-uri 'self'",
    "form-action 'self'", "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# Types some servers do not know; the calculator's modules and WebAssembly need them.
TYPES = {".mjs": "text/javascript", ".wasm": "application/wasm", ".whl": "application/zip", ".toml": "text/plain"}

NETLIFY_FILE = "_headers"
APACHE_FILE = ".htaccess"
NGINX_FILE = "security-headers.nginx.conf"


def netlify_headers() -> str:
    """`_headers` for Netlify and Cloudflare Pages, read from the site's root folder."""
    return "/*\n" + "".join(f"  {name}: {value}\n" for name, value in HEADERS.items())


def apache_htaccess() -> str:
    """`.htaccess` for Apache (mod_headers), read from the site's root folder."""
    lines = ["<IfModule mod_headers.c>"] + [f'  Header always set {name} "{value}"' for name, value in HEADERS.items()]
    lines += ["</IfModule>"] + [f"AddType {mime} {ext}" for ext, mime in TYPES.items()]
    return "\n".join(lines) + "\n"


def nginx_conf() -> str:
    """Lines to include in nginx's `server { }` block for the site."""
    lines = ["# In the server { } block that serves the site: include /path/to/security-headers.nginx.conf;",
             "# (a location block with add_header of its own would drop these: include the file there too).",
             "# nginx's mime.types must map " + ", ".join(f"{ext} to {mime}" for ext, mime in TYPES.items()) + "."]
    lines += [f'add_header {name} "{value}" always;' for name, value in HEADERS.items()]
    return "\n".join(lines) + "\n"


def header_files() -> dict[str, str]:
    """File name -> text, written into the built site's root folder."""
    return {NETLIFY_FILE: netlify_headers(), APACHE_FILE: apache_htaccess(), NGINX_FILE: nginx_conf()}
