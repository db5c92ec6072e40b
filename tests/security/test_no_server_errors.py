"""Point 9: input gave unhandled 500s; point 10: API errors in JSON, headers."""

from __future__ import annotations

import pytest

from tests.contribute.support import csrf_token, login, mod_post, pending_id, submit

HUGE = "99999999999999999999"


def test_history_diff_with_out_of_range_numbers_is_404(client, mod_client, bundled_runtime):
    submit(client)
    mod_post(mod_client, f"/moderation/{pending_id(bundled_runtime)}/publier")
    url = "/pratiques/jardins-partages-des-hortensias/historique/diff"
    assert client.get(f"{url}?de=1&a=1").status_code == 200  # the page exists
    for query in (f"de={HUGE}&a=1", f"de=1&a={HUGE}", "de=-1&a=1", "de=１&a=1", "de=&a="):
        assert client.get(f"{url}?{query}").status_code == 404, query


def test_moderation_item_with_an_out_of_range_id_is_404(mod_client):
    assert mod_client.get(f"/moderation/{HUGE}").status_code == 404
    assert mod_client.get(f"/moderation/{HUGE}/modifier").status_code == 404
    token = csrf_token(mod_client, "/moderation")
    assert mod_client.post(f"/moderation/{HUGE}/publier",
                           data={"csrf_token": token}).status_code == 404


def test_a_line_break_in_the_next_address_is_refused(client, moderator):
    response = client.get("/moderation/connexion?suivant=/moderation%0D%0ASet-Cookie:%20x=1")
    assert response.status_code == 400
    assert "Set-Cookie" not in str(response.headers.get("Location", ""))
    assert "x=1" not in response.headers.get("Set-Cookie", "")
    token = csrf_token(client, "/moderation/connexion")
    response = client.post("/moderation/connexion?suivant=/moderation%0D%0ASet-Cookie:%20x=1",
                           data={"csrf_token": token, "email": moderator[1], "password": moderator[2]})
    assert response.status_code == 400


def test_a_plain_next_address_still_works(client, moderator):
    token = csrf_token(client, "/moderation/connexion")
    response = client.post("/moderation/connexion?suivant=/moderation/journal",
                           data={"csrf_token": token, "email": moderator[1], "password": moderator[2]})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/moderation/journal")
    response = login(client, moderator[1], moderator[2])
    assert response.headers["Location"].endswith("/moderation")


def _nameless(token: str | None) -> bytes:
    parts = []
    if token:
        parts.append(b'--XX\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
                     + token.encode() + b"\r\n")
    parts.append(b"--XX\r\nContent-Disposition: form-data\r\n\r\nvaleur\r\n")
    parts.append(b'--XX\r\nContent-Disposition: form-data; filename="a.txt"\r\n\r\nfichier\r\n')
    return b"".join(parts) + b"--XX--\r\n"


@pytest.mark.parametrize("url", ["/contribuer", "/moderation/connexion"])
@pytest.mark.parametrize("with_token", [False, True])
def test_a_nameless_multipart_part_is_a_400(client, url, with_token):
    token = csrf_token(client, url) if with_token else None
    response = client.post(url, data=_nameless(token),
                           content_type="multipart/form-data; boundary=XX")
    assert response.status_code == 400
    assert "Requête invalide" in response.get_data(as_text=True)


def test_the_api_answers_405_in_json(client):
    response = client.post("/api/v1/practices")
    assert response.status_code == 405
    assert response.is_json and "error" in response.get_json()
    response = client.delete("/api/v1/search")
    assert response.status_code == 405 and response.is_json


def test_no_server_banner_from_the_development_server(app):
    """``kb serve`` runs Werkzeug's server with a handler that sends no ``Server`` header."""
    import http.client
    import threading

    from werkzeug.serving import make_server

    from kb.web.serving import QuietRequestHandler

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("GET", "/a-propos")
        response = connection.getresponse()
        response.read()
        assert response.status == 200
        assert response.getheader("Server") is None
        assert response.getheader("Date")
        connection.close()
    finally:
        server.shutdown()
        server.server_close()


def test_hsts_only_when_configured(app, client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    app.config["HSTS_SECONDS"] = 31536000
    assert client.get("/").headers["Strict-Transport-Security"] == \
        "max-age=31536000; includeSubDomains"


def _host_seen(runtime, **config) -> str:
    from flask import request

    from kb import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "t", "PROXY_COUNT": 1, **config},
                     runtime=runtime)
    app.add_url_rule("/_hote", "hote", lambda: request.host)
    headers = {"X-Forwarded-Host": "evil.example", "X-Forwarded-For": "203.0.113.9"}
    return app.test_client().get("/_hote", headers=headers).get_data(as_text=True)


def test_forwarded_host_is_trusted_only_when_configured(bundled_runtime):
    assert _host_seen(bundled_runtime) == "localhost"
    assert _host_seen(bundled_runtime, PROXY_HOST=True) == "evil.example"
