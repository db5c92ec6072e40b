"""Helpers for contribution tests: valid forms, CSRF tokens, logins."""

from __future__ import annotations

import re

from kb.config import ROOT

BUNDLED = ROOT / "practices"
PASSWORD = "correct-horse-battery"
EMAIL = "claire.martin@exemple.fr"
NAME = "Claire Martin"
BODY = """## Contexte

Le quartier des Hortensias à Montreuil-sur-Loire connaissait des tensions entre voisins.

## Objectifs

Recréer du lien par des ateliers de jardinage partagés au pied des immeubles.
"""


def valid_form(**overrides) -> dict:
    """A complete, valid contribution, as a browser would post it."""
    data = {
        "title": "Jardins partagés des Hortensias",
        "summary": "Des ateliers de jardinage au pied des immeubles pour apaiser les relations de voisinage.",
        "themes": ["Médiation et lien social"],
        "new_themes": "",
        "landlord": ["Office Hortensias Habitat", ""],
        "partner_name": ["Association Racines", ""],
        "partner_role": ["animation des ateliers", ""],
        "cities": "Montreuil-sur-Loire",
        "districts": "Les Hortensias",
        "audiences": "locataires\nfamilles",
        "status": "en cours",
        "started": "2022",
        "ended": "",
        "evidence": "émergente",
        "source_title": ["Bilan des ateliers 2023", "", ""],
        "source_url": ["https://exemple.org/bilan", "", ""],
        "source_date": ["2023-12-01", "", ""],
        "source_publisher": ["Office Hortensias Habitat", "", ""],
        "contact": "chargée de développement social, Office Hortensias Habitat",
        "inspired_by": "",
        "body": BODY,
        "name": NAME,
        "email": EMAIL,
        "licence": "oui",
        "website": "",
        "action": "submit",
    }
    data.update(overrides)
    return data


def csrf_token(client, url: str = "/contribuer") -> str:
    page = client.get(url)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def post_form(client, url: str = "/contribuer", headers: dict | None = None, *,
              follow: bool = True, **overrides):
    """Post the form; a 303 (Post/Redirect/Get) is followed unless ``follow`` is False."""
    data = valid_form(**overrides)
    data.setdefault("csrf_token", csrf_token(client, url))
    return client.post(url, data=data, headers=headers or {}, follow_redirects=follow)


def private_link(response) -> str:
    match = re.search(r'href="https?://[^/"]+(/contribuer/suivi/[^"]+)"', response.get_data(as_text=True))
    assert match, "no private link on the page"
    return match.group(1)


def submit(client, url: str = "/contribuer", headers: dict | None = None, **overrides) -> str:
    """Submit a valid contribution (confirming past duplicate hints); its private link."""
    response = post_form(client, url, headers, **overrides)
    page = response.get_data(as_text=True)
    if response.status_code == 200 and "/contribuer/suivi/" not in page:
        ack = re.search(r'name="similar_ack" value="([^"]*)"', page)
        assert ack, page[:500]
        response = post_form(client, url, headers, similar_ack=ack.group(1), **overrides)
    assert response.status_code == 200, response.status_code
    return private_link(response)


def login(client, email: str, password: str):
    token = csrf_token(client, "/moderation/connexion")
    return client.post("/moderation/connexion", data={
        "csrf_token": token, "email": email, "password": password})


def mod_post(mod_client, url: str, **data):
    """A moderator's action, confirmed (publishing and refusing ask first)."""
    data["csrf_token"] = csrf_token(mod_client, "/moderation")
    if url.endswith(("/publier", "/refuser")):
        data.setdefault("confirm", "1")
    return mod_client.post(url, data=data)


def pending_id(runtime) -> int:
    """The id of the newest contribution."""
    from sqlalchemy import func, select

    from kb.models import Contribution

    with runtime.session(write=False) as session:
        return session.scalar(select(func.max(Contribution.id)))
