"""Security headers on every response; pages that a strict CSP can serve as they are."""

from __future__ import annotations

import re

import pytest

from kb.web.hardening import SECURITY_HEADERS

from .helpers import page

EXPECTED_CSP = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                "form-action 'self'; frame-ancestors 'none'")

PAGES = ["/", "/recherche", "/recherche?q=jardin&theme=theme-synthetique-1&page=2",
         "/recherche?q=zzzqqq", "/pratiques/gamma-piegee", "/themes", "/themes/tranquillite-residentielle",
         "/bailleurs", "/bailleurs/office-test-habitat", "/villes", "/villes/rouen", "/rendez-vous",
         "/rendez-vous/rencontre-test", "/a-propos", "/?lang=en", "/glossaire", "/donnees"]


def assert_security_headers(response):
    assert response.headers["Content-Security-Policy"] == EXPECTED_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_policy_is_the_one_asked_for():
    assert SECURITY_HEADERS["Content-Security-Policy"] == EXPECTED_CSP


@pytest.mark.parametrize("url", [*PAGES, "/static/kb.css", "/static/kb.js", "/static/favicon.svg",
                                 "/static/absent.css", "/inconnu", "/pratiques/..%2Fetc%2Fpasswd"])
def test_security_headers_on_every_response(client, url):
    with client.get(url) as response:  # static files are streamed: close them
        assert_security_headers(response)


def test_security_headers_on_method_not_allowed(client):
    assert_security_headers(client.post("/"))


def test_security_headers_on_server_errors(loaded_runtime):
    from kb import create_app

    app = create_app({"PROPAGATE_EXCEPTIONS": False}, runtime=loaded_runtime)
    app.add_url_rule("/boom", "boom", lambda: 1 / 0)
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert_security_headers(response)


@pytest.mark.parametrize("url", PAGES)
def test_pages_need_no_inline_script_or_style(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    parsed = page(html)
    for tag, attrs in parsed.tags:
        assert "style" not in attrs, (url, tag)
        assert not any(name.startswith("on") for name in attrs), (url, tag)
        if tag == "script" and attrs.get("type") != "application/ld+json":
            assert attrs.get("src", "").startswith("/static/"), url
    # The only inline scripts: JSON-LD data blocks (never executed), no src, no markup inside.
    for opening, content in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        if "src=" not in opening:
            assert opening == ' type="application/ld+json"', (url, opening)
            assert "<" not in content, url
    assert "<style" not in html


@pytest.mark.parametrize("url", PAGES)
def test_pages_load_nothing_from_another_origin(client, url):
    response = client.get(url)
    assert response.status_code == 200, url  # an error page would prove nothing about the page
    parsed = page(response)
    for tag, attrs in parsed.tags:
        if tag in ("script", "img", "iframe", "source", "video", "audio"):
            assert not re.match(r"^(https?:)?//", attrs.get("src") or ""), (url, tag)
        if tag == "link":
            assert not re.match(r"^(https?:)?//", attrs.get("href") or ""), (url, tag)


def test_stylesheet_loads_no_remote_resource(client):
    with client.get("/static/kb.css") as response:
        css = response.get_data(as_text=True)
    assert "@import" not in css and "url(" not in css and "@font-face" not in css


def test_language_cookie_is_httponly_and_lax(client):
    cookie = client.get("/?lang=en").headers["Set-Cookie"]
    assert "kb_lang=en" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
