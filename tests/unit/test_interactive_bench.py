"""bench/interactive.py, tiny: Kanoon, the echo bot and the echo bot on Kanoon's transport each in
its own process (the driver and the fake Bot APIs in this one), every person answered in every
round, Kanoon's CPU read from its process and its statements counted there and sent back over
the pipe."""

from __future__ import annotations

from bench import dataset, interactive

SPEC = dataset.Spec(centers=20, members=400, pending=20, ended=10, users=460, campaigns=1,
                    big_center_members=50, second_center_members=30, pending_center_requests=10)
USERS = 5


async def test_both_bots_answer_every_round_from_their_own_processes(database_url: str) -> None:
    manifest = await dataset.generate(database_url, SPEC, log=lambda line: None, revision=None)

    steps = await interactive.run(database_url, manifest.codes, users=USERS, rounds=1)

    assert interactive.roles() == (interactive.ECHO, interactive.ECHO_AIOHTTP, interactive.KANOON)
    for bot in interactive.roles():
        for name in (interactive.START, interactive.JOIN_STEP):
            (measured,) = steps[bot][name].rounds
            assert len(measured.waits) == USERS and measured.seconds > 0, (bot, name)
    kanoon = steps[interactive.KANOON]
    assert sum(step.rounds[0].cpu for step in kanoon.values()) > 0  # read from /proc of Kanoon's process
    assert all(step.statements >= step.updates == USERS for step in kanoon.values())  # counted there, sent back
    table = interactive.report("sqlite", steps, USERS, 1)
    assert table.count("\n| ") == 3  # the header and the two steps
    assert table.count("|\n") == 3 and "Kanoon's transport" in table  # the transport's column too
