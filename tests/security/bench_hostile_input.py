"""Benchmark: seconds of CPU of the worst Markdown inputs, rendered alone and previewed.

    .venv/bin/python -m tests.security.bench_hostile_input

Builds a throw-away database with the bundled corpus (synthetic inputs only),
then prints, for each pathological case at the maximum body size, the CPU time
of the rendering alone and of a whole preview request (``POST /contribuer``).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from kb import create_app
from kb.config import ROOT, Settings
from kb.rendering import render_markdown
from kb.runtime import Runtime
from kb.services.corpus import import_folder
from kb.services.indexing import rebuild_index
from tests.contribute.support import csrf_token, valid_form

from .pathological import CASES, body


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        runtime = Runtime.open(Settings(database_url=f"sqlite:///{Path(folder) / 'kb.sqlite'}",
                                        index_dir=Path(folder) / "index",
                                        corpus_dir=ROOT / "practices"))
        runtime.upgrade()
        with runtime.session() as session:
            import_folder(session, ROOT / "practices")
        with runtime.session(write=False) as session:
            rebuild_index(session, runtime.index)
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "PREVIEW_RATE": "100000/hour"},
                         runtime=runtime)
        client = app.test_client()
        print(f"{'case':38} {'render s':>9} {'preview s':>10}")
        worst = (0.0, "")
        for name in CASES:
            text = body(name)
            start = time.process_time()
            render_markdown(text)
            rendered = time.process_time() - start
            data = valid_form(body=text, action="preview")
            data["csrf_token"] = csrf_token(client)
            start = time.process_time()
            status = client.post("/contribuer", data=data, content_type="multipart/form-data").status_code
            preview = time.process_time() - start
            worst = max(worst, (preview, name))
            print(f"{name:38} {rendered:9.3f} {preview:10.3f}  HTTP {status}")
        print(f"worst preview: {worst[0]:.3f} s of CPU ({worst[1]})")
        _moderation_pages(app, runtime)
        runtime.close()


def _moderation_pages(app, runtime) -> None:
    """CPU of a submission (stored as is) viewed on its moderation page, per case."""
    from kb.services.contributions import moderators, submissions
    from kb.services.contributions.drafts import Draft, check_draft
    from tests.contribute.support import login

    with runtime.session() as session:
        moderators.add_moderator(session, "bench@exemple.fr", "mot-de-passe-bench")
    client = app.test_client()
    login(client, "bench@exemple.fr", "mot-de-passe-bench")
    worst = (0.0, "")
    for name in CASES:
        draft = Draft(title="Banc d’essai", summary="Synthétique.", themes=["Médiation"],
                      landlords=["Bailleur"], cities="Rouen", body=body(name))
        record = check_draft(draft, contributor=False).record
        with runtime.session() as session:
            number = submissions.submit(session, record, name="Banc", email="b@exemple.fr")[0].id
        start = time.process_time()
        client.get(f"/moderation/{number}")
        worst = max(worst, (time.process_time() - start, name))
    print(f"worst moderation page: {worst[0]:.3f} s of CPU ({worst[1]})")


if __name__ == "__main__":
    main()
