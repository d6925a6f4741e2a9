"""A Bot API emulator (Telegram and Bale flavours) and a user-simulating driver.

One implementation for the end-to-end tests and the playground (bot/playground):

    api = FakeBotApi(flavour="telegram")
    await api.start()
    app = ApplicationBuilder().token(TOKEN).base_url(api.base_url).build()
    user = api.user(1001, "علی")
    await user.send("/start")
    message = await user.next_message()
"""

from .rules import ApiError
from .server import BotMessage, FakeBotApi, SentDocument
from .users import FakeUser

__all__ = ["ApiError", "BotMessage", "FakeBotApi", "FakeUser", "SentDocument"]
