import json

import pytest

from bot.db.engine import SessionFactory
from bot.ptb.persistence import DatabasePersistence, dump_key
from bot.platforms import Platform
from tests.roundtrips import counting


async def test_conversation_states_round_trip_per_platform(sessions: SessionFactory) -> None:
    telegram = DatabasePersistence(sessions, Platform.TELEGRAM)
    await telegram.update_conversation("register", (10, 10), 3)
    await telegram.update_conversation("register", (11, 11), "REVIEW")
    await telegram.update_conversation("register", (10, 10), 4)  # overwrite
    assert await telegram.get_conversations("register") == {(10, 10): 4, (11, 11): "REVIEW"}
    # Same ids on the other platform are other people.
    assert await DatabasePersistence(sessions, Platform.BALE).get_conversations("register") == {}
    await telegram.update_conversation("register", (10, 10), None)  # conversation ended
    assert await telegram.get_conversations("register") == {(11, 11): "REVIEW"}


async def test_user_data_round_trip_keeps_persian_text(sessions: SessionFactory) -> None:
    bale = DatabasePersistence(sessions, Platform.BALE)
    await bale.update_user_data(1_800_000_001, {"draft": {"name": "کانون صاحب\u200cالزمان <b>&"}})
    assert await bale.get_user_data() == {1_800_000_001: {"draft": {"name": "کانون صاحب\u200cالزمان <b>&"}}}
    await bale.update_user_data(1_800_000_001, {})
    assert await bale.get_user_data() == {}


async def test_an_update_that_changed_nothing_writes_nothing(sessions: SessionFactory) -> None:
    telegram = DatabasePersistence(sessions, Platform.TELEGRAM)
    await telegram.update_user_data(10, {"join": {"page": 1}})
    await telegram.update_conversation("join", (10, 10), "browse")
    engine = sessions.kw["bind"]
    loaded = DatabasePersistence(sessions, Platform.TELEGRAM)  # as after a restart
    assert await loaded.get_user_data() == {10: {"join": {"page": 1}}}
    assert await loaded.get_conversations("join") == {(10, 10): "browse"}
    with counting(engine) as trips:
        await loaded.update_user_data(10, {"join": {"page": 1}})
        await loaded.update_conversation("join", (10, 10), "browse")
        await loaded.update_user_data(11, {})  # someone with nothing stored, still nothing
        await loaded.update_conversation("join", (11, 11), None)
    assert trips.total == 0, trips.statements
    with counting(engine) as trips:
        await loaded.update_user_data(10, {"join": {"page": 2}})
    assert len(trips.statements) == 1 and trips.commits == 1, trips.statements  # one UPDATE
    with counting(engine) as trips:
        await loaded.update_user_data(12, {"join": {}})
    assert len(trips.statements) == 2, trips.statements  # an UPDATE that found nothing, the INSERT
    await loaded.update_conversation("join", (10, 10), None)
    reloaded = DatabasePersistence(sessions, Platform.TELEGRAM)
    assert await reloaded.get_user_data() == {10: {"join": {"page": 2}}, 12: {"join": {}}}
    assert await reloaded.get_conversations("join") == {}


@pytest.mark.parametrize("key", [(1001, 1001), (-100123, 7), (0,), (), ("g", 5), (True, 1), (2**63, -(2**63))])
def test_a_key_is_stored_as_its_json_list(key: tuple[int | str, ...]) -> None:
    assert dump_key(key) == json.dumps(list(key))
