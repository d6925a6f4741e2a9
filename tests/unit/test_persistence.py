from bot.db.engine import SessionFactory
from bot.ptb.persistence import DatabasePersistence
from bot.platforms import Platform


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
