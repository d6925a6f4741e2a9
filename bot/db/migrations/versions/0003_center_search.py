"""center search: a folded search column and its index on each database

SQLite: an FTS5 table with the trigram tokenizer over centers.search_key (external content,
kept in step by triggers) plus a B-tree for two-letter prefixes. PostgreSQL: pg_trgm and a GIN
index. See docs/search.md.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:00:00
"""
import logging

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes

from bot.persian.text import name_search_key

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

BACKFILL_BATCH = 5000
# Three Arabic-script letters (U+0628..U+062A); pg_trgm finds no trigram in them when the
# database's LC_CTYPE is plain "C", and name search then loses its speed and its typo tolerance.
_LETTERS_PROBE = "".join(map(chr, range(0x0628, 0x062B)))

# The standard external-content pattern (sqlite.org/fts5.html, «External Content Tables»):
# the index holds search_key of every center; an update removes the old entry, adds the new.
SQLITE_FTS = (
    "CREATE VIRTUAL TABLE center_search USING fts5("
    "search_key, content='centers', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER center_search_insert AFTER INSERT ON centers BEGIN "
    "INSERT INTO center_search(rowid, search_key) VALUES (new.id, new.search_key); END",
    "CREATE TRIGGER center_search_delete AFTER DELETE ON centers BEGIN "
    "INSERT INTO center_search(center_search, rowid, search_key) VALUES ('delete', old.id, old.search_key); END",
    "CREATE TRIGGER center_search_update AFTER UPDATE OF search_key ON centers BEGIN "
    "INSERT INTO center_search(center_search, rowid, search_key) VALUES ('delete', old.id, old.search_key); "
    "INSERT INTO center_search(rowid, search_key) VALUES (new.id, new.search_key); END",
)


def _backfill(bind: sa.Connection) -> None:
    centers = sa.table("centers", sa.column("id", sa.Integer), sa.column("name", sa.String),
                       sa.column("search_key", sa.String))
    update = centers.update().where(centers.c.id == sa.bindparam("row_id")).values(search_key=sa.bindparam("key"))
    last = 0
    while True:
        rows = bind.execute(
            sa.select(centers.c.id, centers.c.name).where(centers.c.id > last).order_by(centers.c.id).limit(BACKFILL_BATCH)
        ).all()
        if not rows:
            return
        bind.execute(update, [{"row_id": row.id, "key": name_search_key(row.name)} for row in rows])
        last = rows[-1].id


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column('centers', sa.Column(
        'search_key', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False, server_default='',
    ))
    _backfill(bind)
    if bind.dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.create_index('ix_centers_search_key', 'centers', ['search_key'], postgresql_using='gin',
                        postgresql_ops={'search_key': 'gin_trgm_ops'})
        if not bind.execute(sa.text('SELECT show_trgm(:probe)'), {'probe': _LETTERS_PROBE}).scalar():
            logging.getLogger(__name__).warning(
                "pg_trgm sees no letters in Persian text: this database's LC_CTYPE is probably 'C'. "
                "Center search will be slow and will not forgive typos; create the database with "
                "LC_CTYPE='C.UTF-8' (or another UTF-8 locale). See docs/search.md."
            )
        return
    op.create_index('ix_centers_search_key', 'centers', ['search_key'])
    for statement in SQLITE_FTS:
        op.execute(statement)
    op.execute("INSERT INTO center_search(center_search) VALUES ('rebuild')")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        for name in ('center_search_update', 'center_search_delete', 'center_search_insert'):
            op.execute(f'DROP TRIGGER IF EXISTS {name}')
        op.execute('DROP TABLE IF EXISTS center_search')
    op.drop_index('ix_centers_search_key', table_name='centers')
    with op.batch_alter_table('centers', schema=None) as batch_op:
        batch_op.drop_column('search_key')
