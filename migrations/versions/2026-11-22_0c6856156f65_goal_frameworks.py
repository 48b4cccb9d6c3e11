"""goal frameworks: frameworks, goals, Agenda 2030 goals (with their names), indicators,
measurements

Revision ID: 0c6856156f65
Revises: 7f5d88b75141
Create Date: 2026-11-22 08:04:23.442159

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0c6856156f65'
down_revision = '7f5d88b75141'
branch_labels = None
depends_on = None

# The 17 Agenda 2030 goals: the official Swedish names (Globala målen) and the UN's English
# names. A copy on purpose: a migration must not change when the application code does.
AGENDA_2030_GOALS = (
    (1, "Ingen fattigdom", "No Poverty"),
    (2, "Ingen hunger", "Zero Hunger"),
    (3, "Hälsa och välbefinnande", "Good Health and Well-being"),
    (4, "God utbildning för alla", "Quality Education"),
    (5, "Jämställdhet", "Gender Equality"),
    (6, "Rent vatten och sanitet för alla", "Clean Water and Sanitation"),
    (7, "Hållbar energi för alla", "Affordable and Clean Energy"),
    (8, "Anständiga arbetsvillkor och ekonomisk tillväxt", "Decent Work and Economic Growth"),
    (9, "Hållbar industri, innovationer och infrastruktur", "Industry, Innovation and Infrastructure"),
    (10, "Minskad ojämlikhet", "Reduced Inequalities"),
    (11, "Hållbara städer och samhällen", "Sustainable Cities and Communities"),
    (12, "Hållbar konsumtion och produktion", "Responsible Consumption and Production"),
    (13, "Bekämpa klimatförändringarna", "Climate Action"),
    (14, "Hav och marina resurser", "Life Below Water"),
    (15, "Ekosystem och biologisk mångfald", "Life on Land"),
    (16, "Fredliga och inkluderande samhällen", "Peace, Justice and Strong Institutions"),
    (17, "Genomförande och globalt partnerskap", "Partnerships for the Goals"),
)


def upgrade():
    op.create_table('frameworks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('title_sv', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=True),
    sa.Column('vision_sv', sa.Text(), nullable=True),
    sa.Column('vision_en', sa.Text(), nullable=True),
    sa.Column('summary_sv', sa.Text(), nullable=True),
    sa.Column('summary_en', sa.Text(), nullable=True),
    sa.Column('period_start', sa.Integer(), nullable=False),
    sa.Column('period_end', sa.Integer(), nullable=True),
    sa.Column('adopted_on', sa.Date(), nullable=True),
    sa.Column('adopted_on_precision', sa.String(length=10), nullable=False),
    sa.Column('adopted_by_sv', sa.String(length=200), nullable=True),
    sa.Column('adopted_by_en', sa.String(length=200), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['supersedes_id'], ['frameworks.id'], name=op.f('fk_frameworks_supersedes_id_frameworks'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_frameworks')),
    sa.UniqueConstraint('slug', name=op.f('uq_frameworks_slug'))
    )
    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_frameworks_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_frameworks_supersedes_id'), ['supersedes_id'], unique=False)

    sdgs = op.create_table('sdgs',
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name_sv', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_sdgs'))
    )
    op.bulk_insert(
        sdgs,
        [
            {"number": number, "name_sv": name_sv, "name_en": name_en}
            for number, name_sv, name_en in AGENDA_2030_GOALS
        ],
    )
    op.create_table('goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('title_sv', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=True),
    sa.Column('statement_sv', sa.Text(), nullable=True),
    sa.Column('statement_en', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('lineage', sa.String(length=32), nullable=False),
    sa.Column('copied_from_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['copied_from_id'], ['goals.id'], name=op.f('fk_goals_copied_from_id_goals'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['framework_id'], ['frameworks.id'], name=op.f('fk_goals_framework_id_frameworks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['goals.id'], name=op.f('fk_goals_parent_id_goals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goals')),
    sa.UniqueConstraint('framework_id', 'code', name=op.f('uq_goals_framework_id'))
    )
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goals_copied_from_id'), ['copied_from_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goals_framework_id'), ['framework_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goals_lineage'), ['lineage'], unique=False)
        batch_op.create_index(batch_op.f('ix_goals_parent_id'), ['parent_id'], unique=False)

    op.create_table('goal_sdgs',
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('sdg_number', sa.Integer(), nullable=False),
    sa.Column('is_example', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], name=op.f('fk_goal_sdgs_goal_id_goals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sdg_number'], ['sdgs.number'], name=op.f('fk_goal_sdgs_sdg_number_sdgs')),
    sa.PrimaryKeyConstraint('goal_id', 'sdg_number', name=op.f('pk_goal_sdgs'))
    )
    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('name_sv', sa.String(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=True),
    sa.Column('unit_sv', sa.String(length=50), nullable=False),
    sa.Column('unit_en', sa.String(length=50), nullable=True),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('baseline_year', sa.Integer(), nullable=True),
    sa.Column('baseline_value', sa.Double(), nullable=True),
    sa.Column('target_year', sa.Integer(), nullable=True),
    sa.Column('target_value', sa.Double(), nullable=True),
    sa.Column('kolada_kpi', sa.String(length=6), nullable=True),
    sa.Column('municipality_code', sa.String(length=4), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_example', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], name=op.f('fk_indicators_goal_id_goals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_goal_id'), ['goal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicators_kolada_kpi'), ['kolada_kpi'], unique=False)

    op.create_table('measurements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Double(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_measurements_indicator_id_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measurements')),
    sa.UniqueConstraint('indicator_id', 'year', name=op.f('uq_measurements_indicator_id'))
    )
    with op.batch_alter_table('measurements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measurements_indicator_id'), ['indicator_id'], unique=False)



def downgrade():
    with op.batch_alter_table('measurements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measurements_indicator_id'))

    op.drop_table('measurements')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_kolada_kpi'))
        batch_op.drop_index(batch_op.f('ix_indicators_goal_id'))

    op.drop_table('indicators')
    op.drop_table('goal_sdgs')
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goals_parent_id'))
        batch_op.drop_index(batch_op.f('ix_goals_lineage'))
        batch_op.drop_index(batch_op.f('ix_goals_framework_id'))
        batch_op.drop_index(batch_op.f('ix_goals_copied_from_id'))

    op.drop_table('goals')
    op.drop_table('sdgs')
    with op.batch_alter_table('frameworks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_frameworks_supersedes_id'))
        batch_op.drop_index(batch_op.f('ix_frameworks_status'))

    op.drop_table('frameworks')
