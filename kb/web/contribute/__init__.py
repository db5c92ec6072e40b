"""Contributing without an account: propose a practice or a correction, follow it.

What protects every form of the site (CSRF, cookies, size limit, rate limits) is
in kb.web.security; what the form shows besides the draft (labels, guides,
suggestions, preview) is in kb.web.contribute_form. The views:

- ``/contribuer``: the form, "Prévisualiser", "Ajouter une ligne", "Envoyer";
- ``/contribuer/similaires``: JSON duplicate hints for the progressive script;
- ``/contribuer/suivi/<token>``: the contributor's private page (status, amend);
- ``/pratiques/<slug>/corriger``: the same form, pre-filled, as a proposed revision;
- ``/pratiques/<slug>/historique`` and ``.../historique/diff``: the public history.

One module a group of views: ``propose`` (the form, new or correction, and the
duplicate hints), ``follow`` (the private page, saved drafts), ``history``.

Spam: a honeypot field filled in gets the same thank-you page as a real
contribution, but nothing is stored; at most ``KB_CONTRIBUTION_RATE``
contributions (default 5/hour) are accepted per client address.
"""

from __future__ import annotations

from flask import Blueprint

from kb.web.contribute_form import theme_label, vocabulary_labels

bp = Blueprint("contribute", __name__)

# Registered by this blueprint for the whole app, as before the helpers moved out.
bp.app_context_processor(vocabulary_labels)
bp.app_template_filter("theme_label")(theme_label)

# Imported last: each module adds its views to ``bp``.
from kb.web.contribute import follow, history, propose  # noqa: E402

__all__ = ["bp", "follow", "history", "propose"]
