"""Every new or changed contribution and moderation page: axe-core and the Nu checker.

axe-core (WCAG 2.1 AA) runs in Chromium at 1280 and 360 px wide, in French and
in English, on each page and on the states reached by its buttons (errors,
preview, confirmation). The Nu HTML Checker reads the same pages as served.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.live import needs_chromium, needs_nu_checker, nu_check, serve

from .support import csrf_token, login, pending_id, post_form, private_link, submit

pytestmark = [pytest.mark.browser]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
CORRECTED = "collectif-solution-uni-voisins"


@pytest.fixture
def site(bundled_runtime, moderator, outbox) -> Iterator[dict]:
    """A live server holding a new proposal, a correction (with its note) and a saved draft."""
    from kb import create_app

    app = create_app({"SECRET_KEY": "quality", "MAIL_OUTBOX": str(outbox)}, runtime=bundled_runtime)
    client = app.test_client()
    follow = submit(client)
    new_id = pending_id(bundled_runtime)
    correction = client.post(f"/pratiques/{CORRECTED}/corriger", data=_correction_form(client),
                             follow_redirects=True)
    assert correction.status_code == 200, correction.status_code
    correction_id = pending_id(bundled_runtime)
    draft = post_form(client, action="save", title="Brouillon de test", cities="")
    assert draft.status_code == 200
    with serve(app) as base:
        app.config["BASE_URL"] = base
        yield {"base": base, "app": app, "follow": follow, "new": new_id,
               "correction": correction_id, "draft": private_link(draft)}


def _correction_form(client) -> dict:
    from tests.contribute.test_moderation import _form_from_page

    url = f"/pratiques/{CORRECTED}/corriger"
    data = _form_from_page(client.get(url).get_data(as_text=True))
    data["section_0"] = [data.get("section_0", [""])[0] + " Le collectif compte trente habitants."]
    data.update({"name": "Lecteur", "email": "lecteur@exemple.fr", "licence": "oui",
                 "change_note": "Ajout du nombre d’habitants.", "action": "submit"})
    return data


def _public_pages(site: dict) -> dict[str, str]:
    return {"form": "/contribuer", "correction-form": f"/pratiques/{CORRECTED}/corriger",
            "follow": site["follow"], "draft": site["draft"]}


def _moderation_pages(site: dict) -> dict[str, str]:
    return {"queue": "/moderation", "item-new": f"/moderation/{site['new']}",
            "item-correction": f"/moderation/{site['correction']}",
            "edit": f"/moderation/{site['new']}/modifier", "journal": "/moderation/journal",
            "practices": "/moderation/pratiques"}


def _submit(page, button) -> None:
    """Click a button that sends its form, and wait for the page it leads to.

    Reading the page straight after ``click`` may read the old one, or a document
    between the two with no body yet.
    """
    with page.expect_navigation():
        button.click()


def _axe(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.response["passes"], "axe ran no rule"
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]]


@needs_chromium
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_contribution_and_moderation_pages_have_no_axe_violation(site, chromium, moderator, lang):
    pytest.importorskip("axe_playwright_python")
    base, found = site["base"], {}
    for width, viewport in WIDTHS.items():
        context = chromium.new_context(locale="fr-FR", viewport=viewport, bypass_csp=True)
        page = context.new_page()
        page.goto(f"{base}/?lang={lang}")
        for name, path in _public_pages(site).items():
            page.goto(base + path)
            found[f"{name}-{width}"] = _axe(page)
        page.goto(f"{base}/contribuer")
        page.locator("#f-title").fill("Jardins partagés")
        page.locator("#f-source-url-0").fill("ftp://non")
        _submit(page, page.locator("button[name=action][value=submit]").last)
        found[f"form-errors-{width}"] = _axe(page)
        _submit(page, page.locator("button[name=action][value=preview]"))
        found[f"form-preview-{width}"] = _axe(page)
        page.goto(f"{base}/moderation/connexion")
        found[f"login-{width}"] = _axe(page)
        page.locator("#f-email").fill(moderator[1])
        page.locator("#f-password").fill(moderator[2])
        _submit(page, page.locator("button[type=submit]"))
        for name, path in _moderation_pages(site).items():
            page.goto(base + path)
            found[f"{name}-{width}"] = _axe(page)
        page.goto(f"{base}/moderation/{site['new']}")
        _submit(page, page.locator("form[action$='/publier'] button"))
        found[f"confirm-publish-{width}"] = _axe(page)
        page.goto(f"{base}/moderation/{site['new']}")
        page.locator("#f-reason-0").check()
        _submit(page, page.locator("form[action$='/refuser'] button"))
        found[f"confirm-refuse-{width}"] = _axe(page)
        context.close()
    assert not {name: v for name, v in found.items() if v}, found


@needs_nu_checker
def test_contribution_and_moderation_pages_are_valid_html(site, moderator, tmp_path):
    app = site["app"]
    files = []
    for lang in ("fr", "en"):
        client = app.test_client()
        client.get(f"/?lang={lang}")
        pages = {name: client.get(path) for name, path in _public_pages(site).items()}
        pages["form-errors"] = post_form(client, title="", source_url=["ftp://non", "", ""],
                                         email="x@")
        pages["form-preview"] = post_form(client, action="preview")
        pages["thanks"] = post_form(client, title="Un titre tout à fait nouveau", similar_ack="")
        pages["login"] = client.get("/moderation/connexion")
        login(client, moderator[1], moderator[2])
        pages.update({name: client.get(path) for name, path in _moderation_pages(site).items()})
        token = csrf_token(client, "/moderation")
        pages["confirm-publish"] = client.post(f"/moderation/{site['new']}/publier",
                                               data={"csrf_token": token})
        pages["confirm-refuse"] = client.post(f"/moderation/{site['new']}/refuser",
                                              data={"csrf_token": token, "reason_choice": "0"})
        for name, response in pages.items():
            assert response.status_code in (200, 422), (name, response.status_code)
            assert f'<html lang="{lang}">' in response.get_data(as_text=True), name
            path = tmp_path / f"{name}-{lang}.html"
            path.write_bytes(response.data)
            files.append(str(path))
    nu_check(files)
    assert re.search(r"thanks-en", " ".join(files))


# Words and signs that give French away; English interface text has none of them.
# Names and titles marked lang="fr" elsewhere on the page (a city, an organisation) may be
# quoted in interface text ("7. Vénissieux: 2 practices"): they are taken out before the test.
FRENCH_TEXT = r"""
(text) => {
  const words = "le|la|les|des|du|une|est|pour|vous|votre|vos|avec|dans|sur|qui|que|pas|aux|ou|et";
  const french = new RegExp("(\\b(" + words + ")\\b)|[éèêàçùôîœ«»]", "i");
  const content = [...new Set([...document.querySelectorAll("body [lang^=fr]")]
    .map((el) => el.textContent.trim()).filter((t) => t.length > 2))]
    .sort((a, b) => b.length - a.length);
  const unquoted = (value) => content.reduce((rest, name) => rest.split(name).join(" "), value);
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const value = node.nodeValue.trim();
    const parent = node.parentElement;
    if (!value || !parent) continue;
    if (parent.closest("script, style, [hidden], .visually-hidden[aria-hidden]")) continue;
    if (parent.closest("[lang]").getAttribute("lang").startsWith("fr")) continue;
    if (parent.closest("[translate=no]")) continue;
    if (french.test(unquoted(value))) found.push(value.slice(0, 120));
  }
  for (const el of document.querySelectorAll("[aria-label], [title], [placeholder], input[type=submit]")) {
    if (el.closest("[lang]").getAttribute("lang").startsWith("fr")) continue;
    for (const name of ["aria-label", "title", "placeholder"]) {
      const value = el.getAttribute(name);
      if (value && french.test(unquoted(value))) found.push(name + ": " + value.slice(0, 120));
    }
  }
  return found;
}
"""


@needs_chromium
def test_english_pages_show_no_french_interface_text_outside_french_content(site, chromium,
                                                                            moderator):
    base, found = site["base"], {}
    page = chromium.new_context(locale="en-GB").new_page()
    page.goto(f"{base}/?lang=en")
    for name, path in _public_pages(site).items():
        page.goto(base + path)
        found[name] = page.evaluate(FRENCH_TEXT)
    page.goto(f"{base}/contribuer")
    page.locator("#f-title").fill("Shared gardens")
    _submit(page, page.locator("button[name=action][value=submit]").last)
    found["form-errors"] = page.evaluate(FRENCH_TEXT)
    _submit(page, page.locator("button[name=action][value=preview]"))
    found["form-preview"] = page.evaluate(FRENCH_TEXT)
    page.goto(f"{base}/moderation/connexion")
    found["login"] = page.evaluate(FRENCH_TEXT)
    page.locator("#f-email").fill(moderator[1])
    page.locator("#f-password").fill(moderator[2])
    _submit(page, page.locator("button[type=submit]"))
    for name, path in _moderation_pages(site).items():
        page.goto(base + path)
        found[name] = page.evaluate(FRENCH_TEXT)
    page.goto(f"{base}/moderation/{site['new']}")
    _submit(page, page.locator("form[action$='/publier'] button"))
    found["confirm-publish"] = page.evaluate(FRENCH_TEXT)
    problems = {name: texts for name, texts in found.items() if texts}
    assert not problems, problems
    # The detector itself works: one French sentence slipped into the English page is caught.
    page.goto(f"{base}/contribuer")
    page.evaluate("document.querySelector('main').append('Envoyer pour relecture')")
    assert page.evaluate(FRENCH_TEXT) == ["Envoyer pour relecture"]


PRACTICE = "paris-equipe-departementale-logement-charte-prevention-expulsions"


def _english_public_pages() -> dict[str, str]:
    """Public pages showing every controlled vocabulary: status, evidence, audiences, themes."""
    return {
        "home": "/",
        "practice": f"/pratiques/{PRACTICE}",
        "search-facets": "/recherche?q=&status=en-cours&evidence=emergente&audience=locataires"
                         "&theme=prevention-des-expulsions",
        "search-all": "/recherche?more=audience",
        "themes": "/themes",
        "theme": "/themes/prevention-des-expulsions",
        "landlord": "/bailleurs/cdc-habitat",
        "events": "/rendez-vous",
        "event": "/rendez-vous/conference-acces-aux-droits-2024-12-02",
        "panorama": "/panorama",
        "partners": "/partenaires",
        "partner": "/partenaires/ville-de-paris",
        "history": f"/pratiques/{PRACTICE}/historique",
    }


@needs_chromium
def test_english_public_pages_feeds_and_csv_show_no_french_interface_text(site, chromium):
    base, found = site["base"], {}
    context = chromium.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{base}/?lang=en")
    for name, path in _english_public_pages().items():
        response = page.goto(base + path)
        assert response is not None and response.status == 200, (name, path)
        found[name] = page.evaluate(FRENCH_TEXT)
    problems = {name: texts for name, texts in found.items() if texts}
    assert not problems, problems
    # The vocabularies are shown in English, their French values still in the links.
    page.goto(f"{base}/pratiques/{PRACTICE}")
    facts = page.locator(".keyfacts").inner_text()
    for english in ("ongoing", "emerging", "tenants"):
        assert english in facts, (english, facts)
    assert "Eviction prevention" in page.locator(".practice__header .tags").inner_text()
    assert page.locator("a[href*='status=en+cours']").count() >= 1
    page.goto(f"{base}/recherche?q=&status=en-cours")
    assert "ongoing" in page.locator(".chips").inner_text()
    assert "emerging" in page.locator(".facets").inner_text()
    # Feeds and the CSV export, fetched with the browser's cookie (English chosen above).
    feeds = {path: page.request.get(base + path).text()
             for path in ("/flux.atom", "/themes/prevention-des-expulsions.atom",
                          "/partenaires/ville-de-paris.atom")}
    for path, body in feeds.items():
        title = re.search(r"<title>([^<]*)</title>", body).group(1)
        assert not re.search(r"[éèêàçùôîœ«»]|\b(nouvelles|pratiques|thème|partenaire)\b", title,
                             re.I), (path, title)
    assert "kb · new social housing practices" in feeds["/flux.atom"]
    header = page.request.get(f"{base}/recherche.csv?q=").text().splitlines()[0]
    assert header.lstrip("\ufeff").startswith("slug,title,summary,themes,"), header
    assert not re.search(r"[éèêàçùôîœ]", header), header
    # In French, the same pages keep French labels and headers.
    page.goto(f"{base}/pratiques/{PRACTICE}?lang=fr")
    assert "en cours" in page.locator(".keyfacts").inner_text()
    french = page.request.get(f"{base}/recherche.csv?q=").text().splitlines()[0]
    assert "résumé" in french and "niveau de preuve" in french
    context.close()
