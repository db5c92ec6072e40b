"""Contributions from the public, before moderation.

Data flow: the web form becomes a ``Draft`` (every value as typed), checked
with the corpus rules into a ``PracticeRecord`` (``drafts``); a valid one is
stored as a pending ``Contribution`` with a private follow-up token
(``submissions``). Moderation (``kb.services.moderation``) publishes it through
``kb.storage.save_practice`` and records each published version as a
``Revision`` (``revisions``). Moderator accounts are in ``moderators``; the
anti-spam rate limiter in ``ratelimit``.
"""
