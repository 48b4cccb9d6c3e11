"""full-text search of inputs: the stems of each input's public text, indexed

Revision ID: 9d4e6f1a2b3c
Revises: 5e8f3a1c7d42
Create Date: 2026-12-02 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

from dialog.core.words import search_text


# revision identifiers, used by Alembic.
revision = '9d4e6f1a2b3c'
down_revision = '5e8f3a1c7d42'
branch_labels = None
depends_on = None

BATCH = 2_000
# As dialog.contributions.models makes them (written out: a migration does not change later).
SQLITE = (
    "CREATE VIRTUAL TABLE contributions_fts USING fts5(search_text, content='contributions',"
    " content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER contributions_fts_insert AFTER INSERT ON contributions BEGIN"
    " INSERT INTO contributions_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER contributions_fts_delete AFTER DELETE ON contributions BEGIN"
    " INSERT INTO contributions_fts(contributions_fts, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER contributions_fts_update AFTER UPDATE OF search_text ON contributions BEGIN"
    " INSERT INTO contributions_fts(contributions_fts, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text);"
    " INSERT INTO contributions_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)


def _backfill():
    """Every input's stems of its public text (the redacted text where there is one)."""
    connection = op.get_bind()
    contributions = sa.table(
        'contributions',
        sa.column('id', sa.Integer),
        sa.column('title', sa.String),
        sa.column('body_text', sa.Text),
        sa.column('redacted_title', sa.String),
        sa.column('redacted_body_text', sa.Text),
        sa.column('search_text', sa.Text),
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(
                contributions.c.id,
                contributions.c.title,
                contributions.c.body_text,
                contributions.c.redacted_title,
                contributions.c.redacted_body_text,
            )
            .where(contributions.c.id > last)
            .order_by(contributions.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        values = [
            {
                'row_id': row.id,
                'words': search_text(row.redacted_title, row.redacted_body_text)
                if row.redacted_body_text is not None
                else search_text(row.title, row.body_text),
            }
            for row in rows
        ]
        connection.execute(
            contributions.update()
            .where(contributions.c.id == sa.bindparam('row_id'))
            .values(search_text=sa.bindparam('words')),
            values,
        )
        last = rows[-1].id


def upgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('goal_links', schema=None) as batch_op:
        batch_op.create_index('ix_goal_links_goal_contribution', ['goal_id', 'contribution_id'], unique=False)
    _backfill()
    if op.get_bind().dialect.name == 'sqlite':
        for statement in SQLITE:
            op.execute(statement)
        op.execute("INSERT INTO contributions_fts(contributions_fts) VALUES ('rebuild')")
    elif op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "CREATE INDEX ix_contributions_search ON contributions"
            " USING gin (to_tsvector('swedish', search_text))"
        )


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        for name in ('insert', 'delete', 'update'):
            op.execute(f"DROP TRIGGER IF EXISTS contributions_fts_{name}")
        op.execute("DROP TABLE IF EXISTS contributions_fts")
    elif op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_contributions_search")
    with op.batch_alter_table('goal_links', schema=None) as batch_op:
        batch_op.drop_index('ix_goal_links_goal_contribution')
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_column('search_text')
