"""One user's updates in order, other users not held up — even by a user with a long queue."""

import asyncio

from telegram import Chat, Message, Update, User

from bot.ptb.updates import PerUserUpdateProcessor


def _update(update_id: int, user_id: int) -> Update:
    user = User(user_id, "x", is_bot=False)
    message = Message(update_id, None, Chat(user_id, "private"), from_user=user, text="hi")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_same_user_in_order_and_others_served_past_a_long_queue() -> None:
    processor = PerUserUpdateProcessor(max_concurrent_updates=2)
    release = asyncio.Event()
    order: list[tuple[int, int]] = []

    async def handle(update_id: int, user_id: int, block: bool) -> None:
        if block:
            await release.wait()
        order.append((user_id, update_id))

    # User 1 has five updates queued behind a slow first one; the limit is two at a time.
    busy = [asyncio.create_task(processor.process_update(_update(i, 1), handle(i, 1, i == 0))) for i in range(5)]
    other = asyncio.create_task(processor.process_update(_update(99, 2), handle(99, 2, False)))
    await asyncio.wait_for(other, timeout=2)  # not stuck behind user 1's queue
    assert order == [(2, 99)]
    release.set()
    await asyncio.wait_for(asyncio.gather(*busy), timeout=2)
    assert [u for _, u in order[1:]] == [0, 1, 2, 3, 4]
