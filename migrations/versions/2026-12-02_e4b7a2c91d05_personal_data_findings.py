"""personal-data findings: what the guard found in an input sent anyway

Revision ID: e4b7a2c91d05
Revises: c3d1e5a7b902
Create Date: 2026-12-02 07:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4b7a2c91d05'
down_revision = 'c3d1e5a7b902'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('personal_data_findings', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_column('personal_data_findings')
