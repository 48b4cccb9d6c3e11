"""the moderation queue narrowed to one dialogue, read in order from an index

Revision ID: 5e8f3a1c7d42
Revises: 9d4e2b7c1a63
Create Date: 2026-12-02 11:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5e8f3a1c7d42'
down_revision = '9d4e2b7c1a63'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.create_index('ix_contributions_dialogue_review_queue', ['dialogue_id', 'needs_review', 'report_count', 'created_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index('ix_contributions_dialogue_review_queue')
