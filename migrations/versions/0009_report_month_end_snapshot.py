"""each archived report keeps a small snapshot of every action's standing at the month's end

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 16:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    # Reports archived before this revision have none: the next month's report rebuilds that month from history.
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('snapshot')
