"""Builds the Application for one platform and registers its handlers, in order.

Order matters: within a group the first matching handler wins, so conversations (which own
their users' messages while active) come before single-shot buttons and commands, and the
catch-all hint comes last.
"""

from __future__ import annotations

import ssl
from functools import cache

import httpx
from telegram.ext import ApplicationBuilder, ContextTypes

from bot.ptb.context import KanoonApp, KanoonContext
from bot.conversations import (
    announcement, assistant_invite, campaign, campaign_time, common, center_edit, join, register, reject_reason,
)
from bot.deps import Deps
from bot.handlers import (
    basic, campaigns, center_card, errors, invitations, members, middleware, mycenter, requests,
)
# The association's seat (issue 11): admins, facilitators, asking a facilitator.
from bot.conversations import (
    admin_search, announce_leaders, answer_question, appoint_facilitator, ask_facilitator, center_status,
    message_center,
)
from bot.handlers import admin, facilitator
# The center's loan fund (issue 16).
from bot.conversations import fund_correct, fund_loan, fund_open
from bot.handlers import fund, fund_loans
# Charitable campaigns (issue 13): pledging to a need, and the one-tap receipts and reports.
from bot.conversations import pledge
from bot.handlers import charity
from bot.instances.receive import READ_MARGIN
from bot.ptb.persistence import DatabasePersistence
from bot.ptb.transport import AiohttpRequest
from bot.platforms import Platform
from bot.sending.ratelimit import PacedRateLimiter
from bot.ptb.updates import PerUserUpdateProcessor


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context (the CA certificates read once, honouring SSL_CERT_FILE as httpx does) for
    every HTTP client of the process; each would otherwise read them again at start."""
    return httpx.create_ssl_context()


def build_application(platform: Platform, deps: Deps) -> KanoonApp:
    settings = deps.settings
    token = settings.token_for(platform)
    assert token, f"no token for {platform}"
    base_url = settings.api_url_for(platform)
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_url.removesuffix("/bot") + "/file/bot")
        .context_types(ContextTypes(context=KanoonContext))
        # per_update: states are read and written around each update by the inbox worker
        # (bot/instances/state.py), so another instance's changes are never missed.
        .persistence(DatabasePersistence(deps.sessions, platform, per_update=True))
        .concurrent_updates(PerUserUpdateProcessor())
        # One paced queue per platform for everything sent there; replies before broadcasts.
        .rate_limiter(PacedRateLimiter(settings.send_rate, max_retries=3))
        # Slow village links: give each request time before calling it failed.
        .request(AiohttpRequest(64, connect_timeout=10, read_timeout=20, write_timeout=20, pool_timeout=10,
                                tls=_tls()))
        .get_updates_request(AiohttpRequest(1, read_timeout=READ_MARGIN, tls=_tls()))
        .build()
    )
    application.bot_data["deps"] = deps
    application.bot_data["platform"] = platform
    register_handlers(application)
    return application


def register_handlers(application: KanoonApp) -> None:
    # 1. Before anything: identify the sender (creates their row, tags log lines).
    # 99. After everything: write conversation state changed by this update.
    for group, handler in middleware.handlers():
        application.add_handler(handler, group=group)

    # 2. Conversations: while one is active it owns that user's messages, /cancel included.
    #    One-tap buttons (ONE_TAP below) pass through them to their handlers in step 3;
    #    other taps get "finish this first", unmatched ones the stale answer.
    # Registration: the leader's questions, the invitee's acceptance, editing from the card.
    application.add_handlers(register.handlers())
    application.add_handlers(assistant_invite.handlers())
    application.add_handlers(center_edit.handlers())
    # Joining: the reason-in-own-words step first (its rq:o: entry must win over the global
    # rq: decisions); /start c-… only, never /start a-….
    application.add_handlers(reject_reason.handlers())
    application.add_handlers(join.handlers())
    # Campaigns: creating one, an announcement, changing a campaign's time.
    application.add_handlers(campaign.handlers())
    application.add_handlers(announcement.handlers())
    application.add_handlers(campaign_time.handlers())
    # The association (issue 11): the admins' search, suspension, appointment and announcement;
    # a facilitator's message to a center; asking the facilitator and answering.
    application.add_handlers(pledge.handlers())  # «🤝 کمک می‌کنم» (issue 13)
    for association_conversation in (admin_search, center_status, appoint_facilitator, announce_leaders,
                                     message_center, ask_facilitator, answer_question):
        application.add_handlers(association_conversation.handlers())
    # The loan fund (issue 16): the leader opens it.
    application.add_handlers(fund_open.handlers())
    application.add_handlers(fund_loan.handlers())  # a member's loan request
    application.add_handlers(fund_correct.handlers())  # a confirmer corrects a ledger entry

    # 3. Buttons and commands that work outside any conversation.
    # Deep-link handlers (`/start <prefix>…`) come before /start itself.
    application.add_handlers(invitations.handlers())
    application.add_handlers(facilitator.link_handlers())  # /start f-… (association, issue 11)
    application.add_handlers(fund.link_handlers())  # /start ft-…: the fund's treasurer (issue 16)
    application.add_handlers(charity.link_handlers())  # /start s-…: a supporter's invitation (issue 13)
    application.add_handlers(center_card.handlers())
    application.add_handlers(basic.handlers())
    application.add_handlers(mycenter.handlers())
    # Joining: the assistant's decisions (rq:, /requests) and the members (ml:, /members).
    application.add_handlers(requests.handlers())
    application.add_handlers(members.handlers())
    # Campaigns: members' answers and mute (ca:), reports, cancel and reschedule, /campaigns.
    application.add_handlers(campaigns.handlers())
    application.add_handlers(charity.handlers())  # help campaigns' receipts and reports (issue 13)
    # The association (issue 11): /admin and ad: for admins (each checks ADMIN_IDS); /rahyar,
    # fc: for facilitators (their /start f-… link is registered with the other deep links above).
    application.add_handlers(admin.handlers())
    application.add_handlers(facilitator.handlers())
    # The loan fund (issue 16): its page, joining, «واریز کردم», confirmations, lists (fd:).
    application.add_handlers(fund.handlers())
    application.add_handlers(fund_loans.handlers())  # guarantor, approvals, queue, draw, payout, instalments

    # 4. Last: anything nobody understood gets a hint toward /help.
    application.add_handlers(basic.fallback_handlers())

    # A user in one conversation is not pulled into another by its entry points, and the
    # one-tap buttons work in the middle of any conversation: an assistant's decisions, member
    # actions, a member's answer to a campaign, a campaign's report and cancel.
    one_tap = [*requests.one_tap_buttons(), *members.one_tap_buttons(), *campaigns.one_tap_buttons(),
               *fund.one_tap_buttons(), *fund_loans.one_tap_buttons(),
               *charity.one_tap_buttons()]
    common.link_conversations(application.handlers[0], one_tap)

    application.add_error_handler(errors.on_error)
