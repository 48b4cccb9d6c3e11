"""page comments: the page they are about, handled and answered

Revision ID: 5a1f0c2e9b47
Revises: 723c75828bf4
Create Date: 2026-12-02 01:56:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a1f0c2e9b47'
down_revision = '723c75828bf4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('page_path', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('handled_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('answer_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('answered_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_contributions_answered_by_id_users'), 'users', ['answered_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_contributions_handled_by_id_users'), 'users', ['handled_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contributions_handled_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_contributions_answered_by_id_users'), type_='foreignkey')
        batch_op.drop_column('answered_by_id')
        batch_op.drop_column('answered_at')
        batch_op.drop_column('answer_text')
        batch_op.drop_column('handled_by_id')
        batch_op.drop_column('handled_at')
        batch_op.drop_column('page_path')
