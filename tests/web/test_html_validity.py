"""Every page type, in French and English, is valid HTML according to the Nu HTML Checker.

The pages are those of tests/web/page_types.py (every HTML route of the app,
moderation pages logged in), plus the 405 error page.
"""

from __future__ import annotations

from tests.contribute.support import login
from tests.live import needs_nu_checker, nu_check

from .page_types import MODERATOR, NOT_FOUND, examples, needs_login, prepare_site


@needs_nu_checker
def test_every_page_type_is_valid_html(app, tmp_path):
    places = prepare_site(app)
    moderator, visitor = app.test_client(), app.test_client()
    login(moderator, *MODERATOR)
    files = []
    for name, endpoint, template in examples(english="all"):
        client = moderator if needs_login(endpoint) else visitor
        client.delete_cookie("kb_lang")  # a French example must not inherit English from a cookie
        response = client.get(template.format(**places))
        assert response.status_code == (404 if template.split("?")[0] in NOT_FOUND else 200), name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.data)
        files.append(str(path))
    method = visitor.post("/")
    (tmp_path / "method-not-allowed.html").write_bytes(method.data)
    files.append(str(tmp_path / "method-not-allowed.html"))
    nu_check(files)
