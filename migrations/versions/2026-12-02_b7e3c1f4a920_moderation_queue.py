"""moderation queue: which inputs wait for an editor, and an input's audit history

Revision ID: b7e3c1f4a920
Revises: f2d525b08ded
Create Date: 2026-12-02 07:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e3c1f4a920'
down_revision = 'f2d525b08ded'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs_review', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_contributions_review_queue', ['needs_review', 'report_count', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_contributions_reported', ['report_count', 'created_at', 'id'], unique=False)
    # What waits already: every input still pending, and residents' inputs published at once
    # in dialogues moderated after publication (no editor has looked at them yet).
    op.execute(
        "UPDATE contributions SET needs_review = true WHERE kind != 'page_comment' AND ("
        "status = 'pending' OR (status = 'published' AND kind IN ('proposal', 'comment') "
        "AND dialogue_id IN (SELECT id FROM dialogues WHERE moderation = 'after')))"
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_subject', ['subject_type', 'subject_id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_subject')
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index('ix_contributions_reported')
        batch_op.drop_index('ix_contributions_review_queue')
        batch_op.drop_column('needs_review')
