"""The Alembic migrations produce exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from bot.db.engine import create_engine


async def test_models_and_migrations_agree(database_url: str) -> None:
    engine = create_engine(database_url)

    def _diff(connection):  # noqa: ANN001, ANN202
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)

    async with engine.connect() as connection:
        differences = await connection.run_sync(_diff)
    await engine.dispose()
    assert differences == [], "models changed without a migration (alembic revision --autogenerate)"
