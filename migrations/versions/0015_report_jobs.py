"""report jobs: reports asked for and made in the background

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 12:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('agreement_ids', sa.JSON(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('send_mail', sa.Boolean(), nullable=False),
    sa.Column('state', sa.Enum('queued', 'running', 'done', 'failed', name='jobstate', native_enum=False, length=30), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('failure', sa.String(length=40), nullable=True),
    sa.Column('failure_detail', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_jobs_report_id_reports')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_report_jobs_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_jobs'))
    )
    with op.batch_alter_table('report_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_report_jobs_requester', ['requested_by_id', 'created_at'], unique=False)
        batch_op.create_index('ix_report_jobs_state', ['state', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('report_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_report_jobs_state')
        batch_op.drop_index('ix_report_jobs_requester')

    op.drop_table('report_jobs')
