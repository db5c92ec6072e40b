"""Point 7: one contribution spelt "Rôüén" renamed Rouen site-wide; other index entries went stale."""

from __future__ import annotations

import json
import shutil

from tests.contribute.support import BUNDLED, mod_post, pending_id, submit


def test_a_contribution_never_respells_a_label(client, mod_client, bundled_runtime):
    submit(client, cities="Rôüén")
    mod_post(mod_client, f"/moderation/{pending_id(bundled_runtime)}/publier")
    for url in ["/villes/rouen", "/pratiques/collectif-solution-uni-voisins",
                "/pratiques/jardins-partages-des-hortensias", "/villes"]:
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.get_data(as_text=True)
        assert "Rôüén" not in text and "Rouen" in text, url
    facets = client.get("/api/v1/facets").get_json()
    assert "Rôüén" not in json.dumps(facets, ensure_ascii=False)


def _facet_labels(runner, query: str) -> set[str]:
    result = runner("search", query, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    return {value["label"] for value in data["facets"]["theme"]}


def test_a_registry_edit_respells_the_label_and_every_index_entry(runner, bundled_runtime, tmp_path):
    before = _facet_labels(runner, "voisins")
    assert "Médiation et lien social" in before
    folder = tmp_path / "corpus"
    shutil.copytree(BUNDLED, folder)
    registry = folder / "_themes.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "- label: Médiation et lien social", "- label: Médiation et Lien Social"), encoding="utf-8")
    result = runner("import", str(folder))
    assert result.exit_code == 0, result.output
    after = _facet_labels(runner, "voisins")
    assert "Médiation et Lien Social" in after and "Médiation et lien social" not in after
    from kb.services.corpus import import_folder

    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "- label: Médiation et Lien Social", "- label: Médiation et lien social"), encoding="utf-8")
    with bundled_runtime.session() as session:
        report = import_folder(session, folder)
    # Every practice of the theme is to be reindexed, though none of their files changed.
    assert "collectif-solution-uni-voisins" in report.changed
    assert report.updated == 0
