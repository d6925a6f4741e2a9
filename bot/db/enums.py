"""Every status, kind and delivery purpose the tables hold, in one place.

They are StrEnums, so a member compares equal to the short string stored in its column
(the columns stay plain strings: migrations stay simple on SQLite and PostgreSQL).
"""

from __future__ import annotations

from enum import StrEnum


class CenterStatus(StrEnum):
    AWAITING_ASSISTANT = "awaiting_assistant"  # registered; no code until the assistant accepts
    ACTIVE = "active"
    SUSPENDED = "suspended"  # by the association
    CANCELLED = "cancelled"  # by its leader before it was active


class CenterKind(StrEnum):
    FAMILY = "family"
    NEIGHBOURHOOD = "neighbourhood"
    TRIBE = "tribe"
    HOMETOWN = "hometown"
    MOSQUE = "mosque"
    WORKPLACE = "workplace"
    OTHER = "other"  # with a free-text label


class InvitationStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"  # the leader cancelled it, or issued a newer one


class MembershipStatus(StrEnum):
    PENDING = "pending"  # a join request waiting for the assistant
    ACTIVE = "active"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # the applicant took the request back
    LEFT = "left"
    REMOVED = "removed"  # by the assistant or leader


class JoinSource(StrEnum):
    LINK = "link"
    CODE = "code"
    SEARCH = "search"


class CampaignKind(StrEnum):
    CAMPAIGN = "campaign"  # a call with a time, a place and answers
    ANNOUNCEMENT = "announcement"  # plain text to every member
    HELP = "help"  # a charitable campaign (پویش نیکوکارانه): needs and pledges (docs/charity.md)


class CampaignStatus(StrEnum):
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"


class Answer(StrEnum):
    YES = "yes"  # «شرکت می‌کنم»
    NO = "no"  # «نمی‌توانم»


class ReminderStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"  # fired: its deliveries are written
    SKIPPED = "skipped"  # fell due while the bot was down beyond the grace window
    CANCELLED = "cancelled"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender just before its send
    SENT = "sent"
    UNREACHABLE = "unreachable"  # blocked the bot, or never started it
    FAILED = "failed"  # refused for good, or given up
    SKIPPED = "skipped"  # no longer worth sending (cancelled, declined, muted…)


class Purpose(StrEnum):
    """Why a Delivery row exists; with its ref_id it names one message to each person."""

    # Batches sent by bot/sending/broadcast.py; ref_id is the campaign, the reminder, or the
    # reschedule's audit event.
    CAMPAIGN_CALL = "campaign"
    CAMPAIGN_REMINDER = "reminder"
    CAMPAIGN_CANCEL = "campaign_cancel"
    CAMPAIGN_MOVED = "campaign_moved"
    # Single notices (bot/sending/delivery.notify); ref_id is the membership.
    JOIN_REQUEST = "join_request"  # to the assistant
    JOIN_REQUEST_LEADER = "join_request_leader"  # to the leader, when the request waits too long
    JOIN_DECISION = "join_decision"  # to the applicant
    MEMBER_REMOVED = "member_removed"
    MEMBER_LEFT = "member_left"
    # Registration notices; ref_id is the invitation.
    INVITATION_ACCEPTED = "inv-accepted"
    INVITATION_DECLINED = "inv-declined"
    INVITATION_REPLACED = "inv-replaced"  # to an assistant replaced by a newer acceptance
    MEMBER_LINKS = "member-links"  # the leader's links to invite members


# The purposes bot/sending/broadcast.py sends as batches; every other one is a single notice.
BATCH_PURPOSES = (
    Purpose.CAMPAIGN_CALL, Purpose.CAMPAIGN_REMINDER, Purpose.CAMPAIGN_CANCEL, Purpose.CAMPAIGN_MOVED,
)


# --- the association's seat (issue 11: admins, facilitators, questions) -------------------------


class AudienceKind(StrEnum):
    """Whom an announcement to leaders goes to."""

    ALL = "all"
    ORG = "org"  # the centers whose facilitator belongs to one facilitation organisation
    AREA = "area"  # the centers whose area contains the words the admin typed


class QuestionStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"


class AskerRole(StrEnum):
    LEADER = "leader"
    ASSISTANT = "assistant"
    MEMBER = "member"


class AssociationPurpose(StrEnum):
    """Delivery purposes of the association's feature (kept apart from Purpose so other
    features' edits to it do not meet this one's; the values share the one column)."""

    # Batches (bot/sending/batches.py).
    LEADER_ANNOUNCEMENT = "leader_announcement"  # ref: the announcement
    FACILITATOR_SET = "facilitator_set"  # to leaders and assistants; ref: the facilitator invitation
    # Single notices (bot/sending/delivery.notify).
    FACILITATOR_REMOVED = "facilitator_removed"  # to leader and assistant; ref: the audit event
    FACILITATOR_ENDED = "facilitator_ended"  # to the facilitator taken off a center; ref: the audit event
    FACILITATOR_REPLACED = "facilitator_replaced"  # to a facilitator replaced by a newer one; ref: the invitation
    FACILITATOR_ANSWERED = "facilitator_answered"  # to the admin: the person accepted/declined; ref: invitation
    CENTER_SUSPENDED = "center_suspended"  # to leader and assistant; ref: the audit event
    CENTER_REACTIVATED = "center_reactivated"  # ref: the audit event
    FACILITATOR_MESSAGE = "facilitator_message"  # to leader and assistant; ref: the message
    QUESTION_ASKED = "question_asked"  # to the facilitator; ref: the question
    QUESTION_ANSWERED = "question_answered"  # to the asker; ref: the question
    QUESTION_REMINDER = "question_reminder"  # to the facilitator after 72 h; ref: the question
    FACILITATOR_DIGEST = "facilitator_digest"  # the weekly digest; ref: the week (days since 1970 of its Saturday)


# --- a center's loan fund (issue 16; docs/fund.md) ---------------------------------------------


class FundStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class FundQueueRule(StrEnum):
    FIRST_COME = "first_come"  # loans are paid out in the order they were approved
    DRAW = "draw"  # the order is drawn from a seed committed beforehand


class FundRole(StrEnum):
    """Who may confirm money: the fund's two confirmers are two of these."""

    LEADER = "leader"
    ASSISTANT = "assistant"
    TREASURER = "treasurer"  # صندوق‌دار, named by the leader by invitation


class FundShare(StrEnum):
    FULL = "full"
    HALF = "half"  # pays and borrows half


class FundMemberStatus(StrEnum):
    ACTIVE = "active"
    LEFT = "left"


class FundDueStatus(StrEnum):
    DUE = "due"  # not yet paid (a claim may be pending)
    PAID = "paid"  # its ledger entry exists


class FundClaimStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class FundEntryKind(StrEnum):
    CONTRIBUTION = "contribution"
    INSTALMENT = "instalment"
    PAYOUT = "payout"
    CORRECTION = "correction"


class FundLoanStatus(StrEnum):
    GUARANTOR = "guarantor"  # waiting for the guarantor to accept
    APPROVAL = "approval"  # waiting for two staff
    QUEUED = "queued"
    PAID_OUT = "paid_out"
    CLOSED = "closed"  # every instalment paid
    REFUSED = "refused"  # by staff or the guarantor


class FundDrawStatus(StrEnum):
    ANNOUNCED = "announced"  # seed committed, hash published
    DRAWN = "drawn"


class FundPurpose(StrEnum):
    """Delivery purposes of the fund (one notice per person and row; the values share the column)."""

    DUE_REMINDER = "fund_due"  # ref: the due; on the due day
    DUE_LATE = "fund_due_late"  # ref: the due; three days later
    DUE_LATE_STAFF = "fund_due_staff"  # ref: the due; the late list, to each confirmer
    CLAIM_TO_CONFIRM = "fund_claim"  # ref: the claim; to each confirmer who is not the payer
    CLAIM_CONFIRMED = "fund_claim_ok"  # ref: the claim; thanks to the payer
    CLAIM_REJECTED = "fund_claim_no"  # ref: the claim
    INSTALMENT_BEFORE = "fund_inst_before"  # ref: the instalment; two days before
    INSTALMENT_DAY = "fund_inst_day"  # ref: the instalment; on the day
    INSTALMENT_LATE_3 = "fund_inst_late3"  # ref: the instalment; the borrower
    INSTALMENT_LATE_10 = "fund_inst_late10"  # ref: the instalment; the guarantor
    INSTALMENT_LATE_15 = "fund_inst_late15"  # ref: the instalment; staff
    TREASURER_ACCEPTED = "fund_treasurer"  # ref: the invitation; to the leader
    LOAN_GUARANTOR = "fund_loan_guarantor"  # ref: the loan; the guarantor is asked
    LOAN_APPROVAL = "fund_loan_approval"  # ref: the loan; each staff member is asked
    LOAN_DECIDED = "fund_loan_decided"  # ref: the loan; the borrower is told (queued or refused)
    DRAW_ANNOUNCED = "fund_draw_announced"  # ref: the draw; to every fund member
    DRAW_MADE = "fund_draw_made"  # ref: the draw; to every fund member
    SUPPORTED = "fund_support"  # ref: the loan; its supporter is told they fund it (rows first)
    SUPPORTED_CLOSED = "fund_support_end"  # ref: the loan; the supporter's report when it closes
    CLAIM_RECEIPT = "fund_receipt"  # ref: the claim; its receipt photo (or a line) to each confirmer
    CORRECTED = "fund_correction"  # ref: the correction entry; the other confirmers and the person


# --- charitable campaigns (issue 13, docs/charity.md) ---------------------------------------------


class NeedSort(StrEnum):
    """What a help campaign's need is counted in."""

    MONEY = "money"  # toman
    GOODS = "goods"  # a named thing in a unit («کیسه برنج»)
    WORK = "work"  # person-days («روز کار»)


class PledgeStatus(StrEnum):
    """promised → (reported) → delivered; withdrawn by the giver while not delivered."""

    PROMISED = "promised"
    REPORTED = "reported"  # the giver said «تحویل دادم»: waits for the leader or assistant
    DELIVERED = "delivered"  # confirmed by the leader or assistant who is not the giver
    WITHDRAWN = "withdrawn"


# The statuses of a pledge that still counts: at most one such per person per need (database rule).
LIVE_PLEDGE = (PledgeStatus.PROMISED, PledgeStatus.REPORTED, PledgeStatus.DELIVERED)


class CharityPurpose(StrEnum):
    """Delivery purposes of charitable campaigns (kept apart from Purpose; one column)."""

    # Batches (bot/sending/batches.py); ref: the campaign.
    HELP_CALL = "help_call"
    HELP_PROGRESS = "help_progress"  # ref: the audit event of the leader's «send progress» tap
    HELP_REMINDER = "help_reminder"  # to undelivered promisers before the deadline
    HELP_THANKS = "help_thanks"  # at the close, to everyone who received the call
    HELP_CHART = "help_chart"  # the final report's picture, to the leader once (after HELP_THANKS)
    # Single notices (bot/sending/delivery.notify); ref: the pledge.
    PLEDGE_REPORTED = "pledge_reported"  # to the leader and assistant: please confirm
    PLEDGE_THANKS = "pledge_thanks"  # to the giver, once delivered
    # ref: the audit event «supporter.left» / «supporter.removed» (the link is gone by then).
    SUPPORTER_LEFT = "supporter_left"  # to the leader: a supporter stopped backing the center
    SUPPORTER_REMOVED = "supporter_removed"  # to the supporter the leader took off the center
