"""Queries and upserts. Every function takes the session first and never commits.

One submodule per kind of data; every name is re-exported here so callers keep
writing ``storage.save_practice`` whatever submodule holds it.
"""

from kb.storage.events import (
    event_record,
    find_events,
    save_event,
)
from kb.storage.form import (
    english_audience_labels,
    english_theme_labels,
    organisation_names,
    published_slugs,
    published_title_map,
    recent_titles,
    registry_theme_labels,
    used_labels,
)
from kb.storage.glossary import (
    add_glossary_proposal,
    delete_glossary_term,
    get_glossary_proposal,
    get_glossary_term,
    glossary_proposals,
    glossary_record,
    glossary_terms,
    registry_glossary,
    save_glossary_term,
)
from kb.storage.index_rows import (
    PracticeRows,
    count_published,
    published_rows,
)
from kb.storage.moderation import (
    contributions_by_id,
    moderators_notified_each_time,
    next_pending_contribution,
    practice_titles,
)
from kb.storage.practices import (
    create_practices,
    find_practices,
    get_practice,
    identity_hash,
    log_change,
    practice_record,
    practices_by_slug,
    save_practice,
)
from kb.storage.registry import (
    all_slugs,
    latest_change,
    registry_audiences,
    registry_organisations,
    registry_themes,
)
from kb.storage.resolver import (
    Resolver,
)
from kb.storage.search_log import (
    SearchStat,
    add_search_log,
    count_searches,
    frequent_searches,
    missed_searches,
    purge_search_log,
)
from kb.storage.thesaurus import (
    add_thesaurus_proposal,
    delete_thesaurus_group,
    get_thesaurus_group,
    get_thesaurus_proposal,
    registry_thesaurus,
    save_thesaurus_group,
    split_terms,
    thesaurus_group_by_label,
    thesaurus_groups,
    thesaurus_proposals,
    thesaurus_record,
)

__all__ = [
    "PracticeRows",
    "Resolver",
    "SearchStat",
    "add_glossary_proposal",
    "add_search_log",
    "all_slugs",
    "contributions_by_id",
    "count_searches",
    "create_practices",
    "delete_glossary_term",
    "english_audience_labels",
    "english_theme_labels",
    "event_record",
    "find_events",
    "find_practices",
    "frequent_searches",
    "get_glossary_proposal",
    "get_glossary_term",
    "get_practice",
    "glossary_proposals",
    "glossary_record",
    "glossary_terms",
    "identity_hash",
    "latest_change",
    "log_change",
    "missed_searches",
    "moderators_notified_each_time",
    "next_pending_contribution",
    "organisation_names",
    "practice_record",
    "practice_titles",
    "practices_by_slug",
    "published_rows",
    "count_published",
    "published_slugs",
    "published_title_map",
    "purge_search_log",
    "recent_titles",
    "registry_glossary",
    "registry_organisations",
    "registry_audiences",
    "registry_theme_labels",
    "registry_themes",
    "save_event",
    "save_glossary_term",
    "save_practice",
    "used_labels",
    "add_thesaurus_proposal",
    "delete_thesaurus_group",
    "get_thesaurus_group",
    "get_thesaurus_proposal",
    "registry_thesaurus",
    "save_thesaurus_group",
    "split_terms",
    "thesaurus_group_by_label",
    "thesaurus_groups",
    "thesaurus_proposals",
    "thesaurus_record",
]
