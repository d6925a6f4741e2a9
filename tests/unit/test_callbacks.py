"""The callback-data codecs: strict parsing of whatever bytes a client sends, exact round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import callbacks
from bot.callbacks import ID, MAX_ID, Choice, Codec, Number, Prefix

CODECS = callbacks.all_codecs()


def _sample_values(codec: Codec) -> list[object]:
    values: list[object] = []
    for part in codec.parts:
        if isinstance(part, str):
            continue
        if part is ID:
            values.append(MAX_ID)
        elif isinstance(part, Choice):
            values.append(sorted(part.options)[0])
        elif isinstance(part, Number):
            values.append(part.high)
        elif isinstance(getattr(part, "values", None), dict):  # a closed set sent as one letter
            values.append(next(iter(part.values.values())))
        else:
            values.append("AbC-123_xyz")
    return values


@pytest.mark.parametrize("codec", CODECS, ids=repr)
def test_build_then_parse_gives_the_values_back_within_64_bytes(codec: Codec) -> None:
    values = _sample_values(codec)
    data = codec.build(*values)
    assert len(data.encode()) <= 64
    assert codec.parse(data) == tuple(values)


def test_no_data_is_read_by_two_codecs() -> None:
    """Each button's data is read by exactly one codec, so a handler never takes another's tap."""
    for codec in CODECS:
        data = codec.build(*_sample_values(codec))
        readers = [other for other in CODECS if other.parse(data) is not None]
        assert readers == [codec], (data, readers)


@pytest.mark.parametrize("data", [
    "ca:y:²",  # '²'.isdigit() is True in Python
    "ca:y:۱۲",  # Persian digits never travel in callback data
    "ca:y:012",  # a leading zero: not what build writes
    "ca:y:0",
    "ca:y:99999999999999999999",  # beyond BIGINT
    f"ca:y:{MAX_ID + 1}",
    "ca:q:12",  # unknown word
    "ca:y",  # wrong arity
    "ca:y:12:3",
    "ca:y:12\n",
    " ca:y:12",
    "rq:ally:99999999999999999",  # a time past the year 2100
    "cl:d:99999999",
    "cl:h:2400",
    "cl:m:14051",
    "xx:y:12",
    "",
])
def test_malformed_data_is_refused(data: str) -> None:
    assert all(codec.parse(data) is None for codec in CODECS)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=80), st.binary(max_size=80).map(lambda b: b.decode("latin-1"))))
def test_any_text_parses_or_is_refused_without_raising(data: str) -> None:
    for codec in CODECS:
        codec.parse(data)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CODECS), st.data())
def test_mutated_data_parses_only_to_values_in_range(codec: Codec, data: st.DataObject) -> None:
    """Take a real button's data, change a character anywhere: the result is refused, or is
    another value every part accepts (never an out-of-range id or an unknown word)."""
    real = codec.build(*_sample_values(codec))
    position = data.draw(st.integers(0, len(real) - 1))
    replacement = data.draw(st.characters())
    mutated = real[:position] + replacement + real[position + 1:]
    parsed = codec.parse(mutated)
    if parsed is not None:
        assert codec.parse(codec.build(*parsed)) == parsed


def test_build_refuses_values_it_could_not_read_back() -> None:
    with pytest.raises(ValueError):
        callbacks.ANSWER.build("q", 1)
    with pytest.raises(ValueError):
        callbacks.ANSWER.build("y", 0)
    with pytest.raises(TypeError):
        callbacks.ANSWER.build("y")
    with pytest.raises(ValueError):
        Codec(Prefix.ANSWER, Choice("y"), ID, ID, ID, ID, ID, ID).build("y", *[MAX_ID] * 6)  # over 64 bytes
