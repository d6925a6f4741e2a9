"""The national benchmark at 1,000 centers (bench/national.py, bench/dataset.py): the dataset
is generated in bulk into the test's database and the real bot, driven through the fake Bot
API, answers every operation the benchmark times (the 100,000-center run is not a test)."""

from __future__ import annotations

from bench import dataset, national
from bench.names import VILLAGES
from bot.services import center_codes

SPEC = dataset.Spec.for_centers(1_000)


async def test_a_thousand_centers_measured_end_to_end(database_url: str) -> None:
    manifest = await dataset.generate(database_url, SPEC, log=lambda line: None, revision=None)

    assert manifest.counts["centers"] == 1_000 and manifest.counts["users"] == SPEC.users
    assert manifest.counts["memberships"] == SPEC.members + SPEC.pending + SPEC.ended
    assert manifest.big_center["members"] == 5_000 and manifest.pending_center["pending"] == 500
    assert all(center_codes.is_valid(code) for code in manifest.codes)
    assert len(VILLAGES) == len(set(VILLAGES)) > 250

    measured = await national.measure(database_url, manifest, samples=3, export_samples=1, restarts=1,
                                      process=False)

    for operation in national.OPERATIONS:
        assert len(measured.timings[operation]) >= 1, operation
    assert measured.found[national.FIND_EXACT] == 3  # a center's whole name, as typed, finds it
    assert measured.export_rows == 5_000  # the big center's file, every member in it
    assert (measured.resumed, measured.resent) == (0, 0)  # nothing was left to send at the data's moment
    assert national.table("sqlite", [measured]).count("\n") > len(national.OPERATIONS)
