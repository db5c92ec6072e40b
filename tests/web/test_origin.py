"""KB_BASE_URL and KB_TRUSTED_HOSTS: absolute URLs never follow the request's Host header."""

from __future__ import annotations

import pytest


@pytest.fixture
def make_app(loaded_runtime):
    from kb import create_app

    def make(**config):
        return create_app({"TESTING": True, "SECRET_KEY": "t", **config}, runtime=loaded_runtime)

    return make


def test_without_settings_urls_follow_the_host_header(make_app):
    body = make_app().test_client().get("/sitemap.xml", headers={"Host": "pirate.example"}).text
    assert "http://pirate.example/" in body


def test_base_url_makes_feeds_and_sitemap_independent_of_the_host(make_app):
    client = make_app(BASE_URL="https://kb.example.org").test_client()
    for path in ("/sitemap.xml", "/flux.atom", "/robots.txt", "/rendez-vous.ics"):
        body = client.get(path, headers={"Host": "pirate.example", "X-Forwarded-Host": "x.example"}).text
        assert "pirate.example" not in body and "x.example" not in body, path
        assert "https://kb.example.org/" in body, path


def test_trusted_hosts_refuse_another_host(make_app, monkeypatch):
    monkeypatch.setenv("KB_TRUSTED_HOSTS", "kb.example.org, localhost")
    client = make_app().test_client()
    assert client.get("/", headers={"Host": "pirate.example"}).status_code == 400
    assert client.get("/", headers={"Host": "kb.example.org"}).status_code == 200


def test_a_base_url_that_is_not_an_address_is_refused(make_app):
    with pytest.raises(ValueError, match="KB_BASE_URL"):
        make_app(BASE_URL="kb.example.org")
