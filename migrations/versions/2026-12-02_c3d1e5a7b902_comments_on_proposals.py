"""comments on proposals: the proposal a comment is on and the comment a reply answers

Revision ID: c3d1e5a7b902
Revises: 5a1f0c2e9b47
Create Date: 2026-12-02 04:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d1e5a7b902'
down_revision = '5a1f0c2e9b47'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reply_to_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_contributions_parent_id_contributions'), 'contributions', ['parent_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_contributions_reply_to_id_contributions'), 'contributions', ['reply_to_id'], ['id'])
        batch_op.create_index('ix_contributions_parent_thread_created', ['parent_id', 'reply_to_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_contributions_reply_to_created', ['reply_to_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_contributions_parent_status', ['parent_id', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index('ix_contributions_parent_status')
        batch_op.drop_index('ix_contributions_reply_to_created')
        batch_op.drop_index('ix_contributions_parent_thread_created')
        batch_op.drop_constraint(batch_op.f('fk_contributions_reply_to_id_contributions'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_contributions_parent_id_contributions'), type_='foreignkey')
        batch_op.drop_column('reply_to_id')
        batch_op.drop_column('parent_id')
