"""Random contribution forms: whatever the fields hold, never a 5xx, never over the CPU budget."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.contribute.support import csrf_token, valid_form

from .support import ASSERTED, cpu

MARKUP = ["[", "![", "*", "_", "`", "<", "&amp;", "\\", "> ", "    ", "# ", "1. ", "|", "  \n",
          "\n", "](", "\x01", "\x00", "é", "\u202e", "\ufdd0"]
TEXT_FIELDS = ["title", "summary", "new_themes", "cities", "districts", "audiences", "status",
               "started", "ended", "evidence", "contact", "inspired_by", "name", "email"]
LIST_FIELDS = ["landlord", "partner_name", "partner_role", "source_title", "source_url",
               "source_date", "source_publisher"]


def _repeated(unit: str, count: int) -> str:
    return unit * count


texts = st.one_of(
    st.text(max_size=300),
    st.builds(_repeated, st.sampled_from(MARKUP), st.integers(0, 20_000)),
    st.lists(st.sampled_from(MARKUP + ["a", " ", "mot"]), max_size=400).map("".join),
)
bodies = st.one_of(
    texts,
    st.builds(_repeated, st.sampled_from(MARKUP + ["[a", "*a* ", "a_ ", "[a](b"]),
              st.integers(1_000, 50_000)).map(lambda body: ("## Contexte\n\n" + body)[:100_000]),
)


@st.composite
def forms(draw):
    data = valid_form(action=draw(st.sampled_from(["preview", "submit"])))
    for name in draw(st.lists(st.sampled_from(TEXT_FIELDS), unique=True, max_size=5)):
        data[name] = draw(texts)
    for name in draw(st.lists(st.sampled_from(LIST_FIELDS), unique=True, max_size=3)):
        data[name] = draw(st.lists(texts, max_size=40))
    if draw(st.booleans()):
        data["body"] = draw(bodies)
    if draw(st.booleans()):
        data["add_row"] = draw(st.sampled_from(["landlords", "partners", "sources", "x"]))
    return data


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=forms())
def test_random_forms_never_fail_and_stay_within_budget(client, data):
    data["csrf_token"] = csrf_token(client)
    response, seconds = cpu(client.post, "/contribuer", data=data, content_type="multipart/form-data")
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert response.status_code in (200, 400, 413, 422, 429)
    assert seconds < ASSERTED, f"{seconds:.2f} s"
