"""Header files for hosts: the same headers in Netlify's `_headers`, Apache's `.htaccess` and an
nginx include, with `frame-ancestors 'none'` and no way to run text as script."""

import re

from attendtoolkit.site.headers import (CONTENT_SECURITY_POLICY, HEADERS, apache_htaccess, header_files, netlify_headers,
                                        nginx_conf)


def test_every_host_file_sends_every_header_with_the_same_value():
    for name, value in HEADERS.items():
        assert f"  {name}: {value}\n" in netlify_headers()
        assert f'Header always set {name} "{value}"' in apache_htaccess()
        assert f'add_header {name} "{value}" always;' in nginx_conf()
    assert set(header_files()) == {"_headers", ".htaccess", "security-headers.nginx.conf"}


def test_no_other_site_may_frame_the_pages_and_no_text_runs_as_script():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["frame-ancestors"] == "'none'" and HEADERS["X-Frame-Options"] == "DENY"
    assert "'unsafe-eval'" not in CONTENT_SECURITY_POLICY
    assert directives["connect-src"] == "'self'" and directives["default-src"] == "'none'"
    assert not re.search(r"https?:", CONTENT_SECURITY_POLICY)  # nothing from any other site
