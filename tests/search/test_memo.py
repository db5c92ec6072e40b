"""``Memo``: the analysis's word memos answer as the function would, and stay bounded."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.search.analysis import _chunk_slots, chunk_slots
from kb.search.memo import Memo


def test_a_memo_computes_each_key_once_and_answers_like_the_function():
    calls: list[str] = []

    def shout(word: str) -> str:
        calls.append(word)
        return word.upper()

    memo = Memo(shout, 10)
    assert [memo[w] for w in ("a", "b", "a")] == ["A", "B", "A"]
    assert list(map(memo.__getitem__, ["b", "c"])) == ["B", "C"]
    assert memo("a") == "A"
    assert calls == ["a", "b", "c"]


def test_a_memo_forgets_everything_at_its_bound_and_keeps_answering():
    memo = Memo(len, 3)
    for word in ("a", "bb", "ccc"):
        assert memo[word] == len(word)
    assert len(memo) == 3
    assert memo["dddd"] == 4  # the bound is reached: forgotten, then this one kept
    assert dict(memo) == {"dddd": 4}
    assert "dddd" not in repr(memo)  # a log line shows its size, not its words


def test_a_failing_function_leaves_nothing_behind():
    def fail(word: str) -> str:
        raise ValueError(word)

    memo = Memo(fail, 5)
    with pytest.raises(ValueError):
        memo["x"]
    assert "x" not in memo


@given(st.lists(st.text(max_size=12), max_size=30))
def test_the_chunk_memo_gives_what_the_analysis_gives(words):
    for word in words:
        assert chunk_slots[word] == _chunk_slots(word)
