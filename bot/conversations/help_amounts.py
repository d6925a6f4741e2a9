"""Reading a typed amount for a need (a target, a pledge) with bot/persian/amounts.py: toman
for money, whole units or halves for goods and work; a unit typed after the number must be
the need's own («۳ کیسه» for rice in sacks), and rial is converted with a notice."""

from __future__ import annotations

from telegram import Update

from bot.db.charity_models import NEED_SCALE
from bot.db.enums import NeedSort
from bot.persian.amounts import ANY_GOODS_UNITS, WORK_UNITS, parse_quantity, parse_toman
from bot.persian.catalog import Raw, t
from bot.persian.text import search_key
from bot.ptb.context import KanoonContext
from bot.ptb.ui import reply


def _units(sort: NeedSort, name: str | None, unit: str | None) -> set[str]:
    """The unit words a quantity may carry for this need (compared folded)."""
    if sort == NeedSort.WORK:
        words = {t("charity-work-unit"), t("charity-need-work-label"), *WORK_UNITS}
    else:
        words = {unit or "", name or "", f"{unit} {name}", f"{name} {unit}", *ANY_GOODS_UNITS}
    return {search_key(word) for word in words if word}


async def read_amount(update: Update, context: KanoonContext, sort: NeedSort, name: str | None,
                      unit: str | None) -> tuple[int, Raw | None] | None:
    """(stored units, a notice to show or None); None after saying what was wrong."""
    message = update.effective_message
    typed = message.text if message is not None else None
    if sort == NeedSort.MONEY:
        money = parse_toman(typed)
        if money.problem is not None or money.value is None:
            await reply(update, context, t(f"amount-problem-{money.problem}"))
            return None
        notice = t("amount-rial-notice", rial=money.value * 10, toman=money.value) if money.from_rial else None
        return money.value, notice
    quantity = parse_quantity(typed)
    if quantity.problem is not None or quantity.value is None:
        await reply(update, context, t(f"quantity-problem-{quantity.problem}"))
        return None
    if quantity.unit and search_key(quantity.unit) not in _units(sort, name, unit):
        shown = unit if sort == NeedSort.GOODS else t("charity-work-unit")
        await reply(update, context, t("charity-unit-mismatch", unit=shown or ""))
        return None
    return int(quantity.value * NEED_SCALE[sort]), None
