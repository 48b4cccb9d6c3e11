"""first decisions: when each input was first decided on, how long after it was sent and in
which of the municipality's months, for the editors' figures

Revision ID: 9d4e2b7c1a63
Revises: b7e3c1f4a920
Create Date: 2026-12-02 10:45:00.000000

"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from alembic import op
from flask import current_app
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d4e2b7c1a63'
down_revision = 'b7e3c1f4a920'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('first_decision_seconds', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('first_decision_month', sa.String(length=7), nullable=True))
        batch_op.create_index('ix_contributions_first_decision_seconds', ['first_decision_seconds'], unique=False)
        batch_op.create_index('ix_contributions_dialogue_first_decision_seconds', ['dialogue_id', 'first_decision_seconds'], unique=False)
        batch_op.create_index('ix_contributions_first_decision_month', ['first_decision_month', 'first_decision_seconds'], unique=False)
    _backfill()


def _backfill():
    """Every input decided on so far: its earliest decision, in the municipality's month."""
    bind = op.get_bind()
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    rows = bind.execute(sa.text(
        "SELECT contributions.id, contributions.created_at, min(moderation_decisions.created_at) "
        "FROM contributions JOIN moderation_decisions "
        "ON moderation_decisions.contribution_id = contributions.id "
        "GROUP BY contributions.id, contributions.created_at"
    )).all()
    update = sa.text(
        "UPDATE contributions SET first_decided_at = :decided, first_decision_seconds = :seconds, "
        "first_decision_month = :month WHERE id = :id"
    )
    values = []
    for contribution_id, created, decided in rows:
        created, decided = _utc(created), _utc(decided)
        values.append({
            "id": contribution_id,
            "decided": decided if bind.dialect.name != "sqlite" else decided.replace(tzinfo=None),
            "seconds": max(0, round((decided - created).total_seconds())),
            "month": f"{decided.astimezone(zone):%Y-%m}",
        })
    if values:
        bind.execute(update, values)


def _utc(value):
    """A stored time as an aware UTC datetime (SQLite gives text, without a zone)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def downgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index('ix_contributions_first_decision_month')
        batch_op.drop_index('ix_contributions_dialogue_first_decision_seconds')
        batch_op.drop_index('ix_contributions_first_decision_seconds')
        batch_op.drop_column('first_decision_month')
        batch_op.drop_column('first_decision_seconds')
        batch_op.drop_column('first_decided_at')
