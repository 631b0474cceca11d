"""escalation ladder and handover: when an action was blocked or lost its owner, a hand raise, thresholds per agreement

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 16:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blocked_since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('owner_lost_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('raised_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('raised_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('raised_reason', sa.String(length=1000), server_default='', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_actions_raised_by_id_users'), 'users', ['raised_by_id'], ['id'])

    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('escalate_level2_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('escalate_level3_days', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_column('escalate_level3_days')
        batch_op.drop_column('escalate_level2_days')

    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_actions_raised_by_id_users'), type_='foreignkey')
        batch_op.drop_column('raised_reason')
        batch_op.drop_column('raised_by_id')
        batch_op.drop_column('raised_at')
        batch_op.drop_column('owner_lost_on')
        batch_op.drop_column('blocked_since')
