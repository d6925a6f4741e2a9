"""The association's rules: figures, a center's full card, suspension, organisations,
announcements to leaders. Plain async functions over a session (no commit, no Telegram);
the actions in bot/actions/association.py commit and send. docs/association.md.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import jdatetime
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import AssociationPurpose, AudienceKind, CampaignStatus, CenterStatus, MembershipStatus
from bot.db.models import AuditEvent, Center, FacilitationOrg, Facilitator, LeaderAnnouncement, User
from bot.db.repo import association as repo
from bot.db.repo import charity as charity_repo
from bot.db.repo import audit
from bot.db.repo import centers as centers_repo
from bot.db.repo import deliveries as deliveries_repo
from bot.db.repo import facilitation as facilitation_repo
from bot.db.repo import memberships as memberships_repo
from bot.db.repo import users as users_repo
from bot.persian.text import one_line, search_key
from bot.services.refusals import Refusal

WEEKS = 12
REASON_MIN, REASON_MAX = 3, 300
ORG_NAME_MIN, ORG_NAME_MAX = 2, 64
ANNOUNCEMENT_MIN, ANNOUNCEMENT_MAX = 3, 3000
AREA_MIN = 2
RECENT_ACTIONS = 6


class AdminRefusal(Refusal):
    """An association rule said no; the message is «adm-refusal-<code>»."""

    feature = "adm"

    CENTER_NOT_FOUND = "center_not_found"
    NOT_ACTIVE = "not_active"  # only an active center can be suspended
    NOT_SUSPENDED = "not_suspended"
    NO_FACILITATOR = "no_facilitator"
    NO_RECIPIENTS = "no_recipients"
    ORG_NOT_FOUND = "org_not_found"


class _Row(Protocol):
    id: int | None


def id_of(row: _Row) -> int:
    """A row's id after flush (typed: never None here)."""
    assert row.id is not None
    return row.id


def actor_label(platform: str, platform_user_id: int) -> str:
    """How an admin is named in the audit record: their platform and user id."""
    return f"{platform}:{platform_user_id}"


# --- weeks and months in the Jalali calendar -------------------------------------------------------


def week_start(moment: datetime, tz: ZoneInfo) -> datetime:
    """The Saturday 00:00 (local) that begins the Persian week `moment` falls in, in UTC."""
    local = moment.astimezone(tz)
    days_since_saturday = (local.weekday() - 5) % 7  # Python: Monday 0 … Saturday 5
    start = (local - timedelta(days=days_since_saturday)).replace(hour=0, minute=0, second=0, microsecond=0)
    return start.replace(tzinfo=None).replace(tzinfo=tz).astimezone(timezone.utc)


def week_starts(now: datetime, tz: ZoneInfo, weeks: int = WEEKS) -> list[datetime]:
    """The starts of the last `weeks` Persian weeks, oldest first; the last one holds `now`."""
    current = week_start(now, tz).astimezone(tz)
    starts = []
    for back in range(weeks - 1, -1, -1):
        local = (current.replace(tzinfo=None) - timedelta(days=7 * back)).replace(tzinfo=tz)
        starts.append(local.astimezone(timezone.utc))
    return starts


def month_start(now: datetime, tz: ZoneInfo) -> datetime:
    """The first day (00:00 local) of the Jalali month `now` falls in, in UTC."""
    local = jdatetime.datetime.fromgregorian(datetime=now.astimezone(tz))
    first = jdatetime.date(local.year, local.month, 1).togregorian()
    return datetime(first.year, first.month, first.day, tzinfo=tz).astimezone(timezone.utc)


# --- figures -----------------------------------------------------------------------------------


@dataclass
class Figures:
    org: FacilitationOrg | None
    by_status: dict[str, int]
    by_kind: dict[str, int]
    centers: int  # active or suspended, from the series' last point
    members: int  # from the series' last point
    by_platform: dict[str, int]
    waiting: int
    oldest_waiting: datetime | None
    without_assistant: int
    campaigns: int  # campaign calls made this Jalali month
    delivered: int
    answered: int
    series: list[repo.Point] = field(default_factory=list)  # one point per week, the last at now
    weeks: list[datetime] = field(default_factory=list)  # each point's week start
    supporters: int = 0  # حامیان of these centers (issue 13)

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.delivered if self.delivered else None


async def figures(
    session: AsyncSession, now: datetime, tz: ZoneInfo, org_id: int | None = None, weeks: int = WEEKS,
) -> Figures:
    org = None
    if org_id is not None:
        org = await repo.org_by_id(session, org_id)
        if org is None:
            raise AdminRefusal(AdminRefusal.ORG_NOT_FOUND)
    starts = week_starts(now, tz, weeks)
    moments = [min(start + timedelta(days=7), now) for start in starts]
    points = await repo.series(session, moments, org_id)
    by_status: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    for status, kind, n in await repo.centers_by_status_and_kind(session, org_id):
        by_status[status] = by_status.get(status, 0) + n
        by_kind[kind] = by_kind.get(kind, 0) + n
    waiting, oldest = await repo.waiting_requests(session, org_id)
    made, delivered, answered = await repo.campaigns_since(session, month_start(now, tz), org_id)
    return Figures(
        org=org, by_status=by_status, by_kind=by_kind, centers=points[-1].centers, members=points[-1].members,
        by_platform=await repo.members_by_platform(session, org_id), waiting=waiting, oldest_waiting=oldest,
        without_assistant=await repo.without_assistant(session, org_id), campaigns=made, delivered=delivered,
        answered=answered, series=points, weeks=starts,
        supporters=await charity_repo.supporter_count_of_org(session, org_id),
    )


async def orgs(session: AsyncSession) -> list[FacilitationOrg]:
    return await repo.orgs(session)


async def org_named(session: AsyncSession, name: str, admin: User, now: datetime) -> FacilitationOrg:
    """The organisation with this name (compared folded), made if new."""
    by = id_of(admin)
    name = one_line(name)
    key = search_key(name)
    found = await repo.org_by_key(session, key)
    if found is not None:
        return found
    org = FacilitationOrg(name=name, name_key=key, created_by=by, created_at=now)
    try:
        async with session.begin_nested():  # two admins naming it at once: the other one's row
            session.add(org)
    except IntegrityError:
        found = await repo.org_by_key(session, key)
        assert found is not None
        return found
    audit.add(session, by, "org.created", "org", id_of(org), now, name=name,
              admin=actor_label(admin.platform, admin.platform_user_id))
    return org


# --- finding a center ----------------------------------------------------------------------------


async def center_by_code(session: AsyncSession, code: int) -> Center | None:
    center = await centers_repo.by_code(session, code)
    return center if center is not None and center.status != CenterStatus.CANCELLED else None


# --- a center's full card -------------------------------------------------------------------------


@dataclass
class AdminCard:
    center: Center
    leader: User
    assistant: User | None
    facilitator: Facilitator | None
    facilitator_user: User | None
    org: FacilitationOrg | None
    members: int
    pending: int
    oldest_pending: datetime | None
    campaigns: int
    last_campaign: datetime | None
    actions: list[tuple[AuditEvent, User | None]]


async def admin_card(session: AsyncSession, center_id: int) -> AdminCard:
    center = await centers_repo.by_id(session, center_id)
    if center is None or center.status == CenterStatus.CANCELLED:
        raise AdminRefusal(AdminRefusal.CENTER_NOT_FOUND)
    await session.refresh(center)
    actions = await repo.recent_actions(session, id_of(center), RECENT_ACTIONS)
    people = await users_repo.by_ids(session, sorted({
        i for i in (center.leader_id, center.assistant_id, center.facilitator_id, *(a.actor_id for a in actions)) if i
    }))
    facilitator = await facilitation_repo.of_user(session, center.facilitator_id) if center.facilitator_id else None
    org = await repo.org_by_id(session, facilitator.org_id) if facilitator and facilitator.org_id else None
    campaigns, last_campaign = await repo.campaigns_count(session, id_of(center))
    return AdminCard(
        center=center, leader=people[center.leader_id],
        assistant=people.get(center.assistant_id) if center.assistant_id else None,
        facilitator=facilitator,
        facilitator_user=people.get(center.facilitator_id) if center.facilitator_id else None, org=org,
        members=await memberships_repo.count(session, id_of(center), MembershipStatus.ACTIVE),
        pending=await memberships_repo.count(session, id_of(center), MembershipStatus.PENDING),
        oldest_pending=await repo.oldest_pending(session, id_of(center)),
        campaigns=campaigns, last_campaign=last_campaign,
        actions=[(a, people.get(a.actor_id) if a.actor_id else None) for a in actions],
    )


def audit_details(event: AuditEvent) -> dict[str, object]:
    try:
        found = json.loads(event.details) if event.details else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


# --- suspension ------------------------------------------------------------------------------------


@dataclass
class StatusChange:
    center: Center
    leader: User
    assistant: User | None
    event_id: int  # the audit event: the notices' reference
    reason: str


async def _change_status(
    session: AsyncSession, center_id: int, admin: User, reason: str, now: datetime,
    source: CenterStatus, target: CenterStatus, action: str, refusal: str,
) -> StatusChange:
    center = await centers_repo.by_id(session, center_id)
    if center is None or center.status == CenterStatus.CANCELLED:
        raise AdminRefusal(AdminRefusal.CENTER_NOT_FOUND)
    if not await centers_repo.update_if(
        session, center_id, {"status": source}, status=target, status_reason=reason, status_changed_at=now,
    ):
        raise AdminRefusal(refusal)
    await session.refresh(center)
    event = audit.add(session, admin.id, action, "center", center_id, now, reason=reason,
                      admin=actor_label(admin.platform, admin.platform_user_id))
    await session.flush()
    people = await users_repo.by_ids(session, [i for i in (center.leader_id, center.assistant_id) if i])
    return StatusChange(
        center, people[center.leader_id], people.get(center.assistant_id) if center.assistant_id else None,
        id_of(event), reason,
    )


async def suspend(session: AsyncSession, center_id: int, admin: User, reason: str, now: datetime) -> StatusChange:
    """active → suspended: no join requests, no campaigns, until reactivated."""
    return await _change_status(session, center_id, admin, reason, now, CenterStatus.ACTIVE,
                                CenterStatus.SUSPENDED, "center.suspended", AdminRefusal.NOT_ACTIVE)


async def reactivate(session: AsyncSession, center_id: int, admin: User, reason: str, now: datetime) -> StatusChange:
    return await _change_status(session, center_id, admin, reason, now, CenterStatus.SUSPENDED,
                                CenterStatus.ACTIVE, "center.reactivated", AdminRefusal.NOT_SUSPENDED)


async def status_change(session: AsyncSession, event_id: int) -> tuple[Center, str, str] | None:
    """(center, action, reason) of a suspension or reactivation event, if it is still the
    center's latest state (a notice about a state since reversed is not worth sending)."""
    event = await session.get(AuditEvent, event_id)
    if event is None or event.entity != "center" or event.entity_id is None:
        return None
    center = await centers_repo.by_id(session, event.entity_id)
    if center is None:
        return None
    expected = {"center.suspended": CenterStatus.SUSPENDED, "center.reactivated": CenterStatus.ACTIVE}
    if expected.get(event.action) != center.status:
        return None
    return center, event.action, str(audit_details(event).get("reason") or "")


# --- announcements to leaders ------------------------------------------------------------------------


async def audience(
    session: AsyncSession, kind: AudienceKind, org_id: int | None, area: str | None,
) -> set[int]:
    """The leaders and assistants an announcement would reach (each person once)."""
    if kind == AudienceKind.ORG:
        if org_id is None or await repo.org_by_id(session, org_id) is None:
            raise AdminRefusal(AdminRefusal.ORG_NOT_FOUND)
        return await repo.leaders_and_assistants(session, org_id=org_id)
    if kind == AudienceKind.AREA:
        return await repo.leaders_and_assistants(session, area_key=search_key(area or "") or None)
    return await repo.leaders_and_assistants(session)


@dataclass
class Announced:
    announcement: LeaderAnnouncement
    recipients: int
    made: bool  # False: this draft was already sent (a repeated «ارسال»)


async def announce(
    session: AsyncSession, admin: User, kind: AudienceKind, org_id: int | None, area: str | None, body: str,
    now: datetime, request_key: str,
) -> Announced:
    """The announcement and a pending delivery per recipient; the action starts the sending."""
    existing = await repo.announcement_by_key(session, request_key)
    if existing is not None:
        counts = (await deliveries_repo.counts(session, AssociationPurpose.LEADER_ANNOUNCEMENT, [id_of(existing)]))
        return Announced(existing, sum(counts[id_of(existing)].values()), made=False)
    people = await audience(session, kind, org_id, area)
    if not people:
        raise AdminRefusal(AdminRefusal.NO_RECIPIENTS)
    announcement = LeaderAnnouncement(
        created_by=id_of(admin), audience=kind, org_id=org_id if kind == AudienceKind.ORG else None,
        area=area if kind == AudienceKind.AREA else None, body=body, status=CampaignStatus.SENDING,
        created_at=now, request_key=request_key,
    )
    try:
        async with session.begin_nested():
            session.add(announcement)
    except IntegrityError:  # the same draft, sent from a second device at the same moment
        existing = await repo.announcement_by_key(session, request_key)
        assert existing is not None
        return Announced(existing, len(people), made=False)
    await deliveries_repo.enqueue(session, AssociationPurpose.LEADER_ANNOUNCEMENT, id_of(announcement), people, now)
    audit.add(session, admin.id, "announcement.sent", "announcement", id_of(announcement), now,
              audience=kind, org_id=org_id, area=area, recipients=len(people),
              admin=actor_label(admin.platform, admin.platform_user_id))
    return Announced(announcement, len(people), made=True)


async def announcement(session: AsyncSession, announcement_id: int) -> LeaderAnnouncement | None:
    return await repo.announcement_by_id(session, announcement_id)


async def announcement_counts(session: AsyncSession, announcement_id: int) -> dict[str, int]:
    counts = await deliveries_repo.counts(session, AssociationPurpose.LEADER_ANNOUNCEMENT, [announcement_id])
    return counts[announcement_id]


async def finish_announcement(session: AsyncSession, announcement_id: int) -> None:
    await repo.set_announcement(session, announcement_id, status=CampaignStatus.SENT)


async def set_report_message(session: AsyncSession, announcement_id: int, message_id: int) -> None:
    await repo.set_announcement(session, announcement_id, report_message_id=message_id)


# --- the export ------------------------------------------------------------------------------------


# Centers per read for the export: a few trips for 100,000 centers, little memory per batch.
EXPORT_BATCH = 5000


def export_rule() -> dict[str, Any]:
    """Which centers the file shows and which memberships it counts (members, pending requests),
    for the export worker's job (bot/db/centers_file_query.py)."""
    members, pending = repo.EXPORT_COUNTED
    return {"live": [str(status) for status in repo.LIVE], "active": str(members), "pending": str(pending)}


async def export_centers(session: AsyncSession, admin: User, kind: str, now: datetime,
                         write: Callable[[Sequence[Sequence[Any]]], Awaitable[object]]) -> int:
    """Every live center handed to `write` a batch of plain rows at a time (the file grows as
    they are read; the export worker reads the same query itself), then record_export. The count."""
    count = 0
    async for rows in repo.export_rows(session, EXPORT_BATCH):
        await write(rows)
        count += len(rows)
    record_export(session, admin, kind, count, now)
    return count


def record_export(session: AsyncSession, admin: User, kind: str, count: int, now: datetime) -> None:
    """Who took the file (mobiles are in it), in the audit record."""
    audit.add(session, admin.id, "centers.exported", "export", None, now, format=kind, centers=count,
              admin=actor_label(admin.platform, admin.platform_user_id))


@dataclass
class Report:
    announcement: LeaderAnnouncement
    counts: dict[str, int]
    org: FacilitationOrg | None
    admin: User | None


async def report(session: AsyncSession, announcement_id: int) -> Report | None:
    found = await repo.announcement_by_id(session, announcement_id)
    if found is None:
        return None
    org = await repo.org_by_id(session, found.org_id) if found.org_id else None
    return Report(found, await announcement_counts(session, announcement_id), org,
                  await users_repo.by_id(session, found.created_by))
