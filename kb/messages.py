"""Messages for users written below the web layer, and translated by it.

Services, storage and the corpus reader may not import Flask (tests/test_layers.py),
so they cannot translate. They write a message in French with named placeholders,
``N_("Aucune pratique n'a l'identifiant « %(slug)s ».", slug=slug)``, which Babel
extracts like any ``_()`` call. The result is a ``Message``: a ``str`` holding
the French text (what logs, the command line and the French site show), which
also carries its message id and values, so that the web layer translates it in
the page's language (``kb.web.labels.translate``) before filling the values in.
"""

from __future__ import annotations

from typing import Any


class Message(str):
    """French text of a message, with its catalogue id and the values put into it."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: dict[str, Any] | None = None) -> Message:
        params = dict(params or {})
        # Without values no %-formatting, as gettext does: a literal "%" stays as written.
        self = super().__new__(cls, msgid % params if params else msgid)
        self.msgid, self.params = msgid, params
        return self

    def __reduce__(self):
        return (Message, (self.msgid, self.params))


def N_(msgid: str, **params: Any) -> Message:
    """Marks ``msgid`` for translation (Babel extracts it) and fills in ``params`` in French."""
    return Message(msgid, params)
