"""The thank-you page gives the private link to keep: selectable without JavaScript, a copy
button with it, and a line saying why it must be kept."""

from __future__ import annotations

from lxml import html

from .support import submit


def test_the_private_link_can_be_copied_without_javascript_and_is_to_be_kept(client, bundled_runtime):
    submit(client)
    response = client.get("/contribuer/merci")
    assert response.status_code == 200
    page = html.fromstring(response.get_data(as_text=True))
    link = page.xpath("string(//p[@class='private-link']/a/@href)")
    assert "/contribuer/suivi/" in link
    field = page.xpath("//input[@id='private-link-field']")[0]
    assert field.get("value") == link and field.get("readonly") is not None
    assert page.xpath("//label[@for='private-link-field']")
    button = page.xpath("//button[@data-copy='private-link-field']")[0]
    assert button.getparent().get("hidden") is not None  # shown only by the script
    keep = " ".join(page.xpath("string(//p[@class='private-link__keep'])").split())
    assert keep.startswith("Gardez ce lien.")
    assert response.headers["Cache-Control"].startswith("no-store")
