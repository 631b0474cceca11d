"""content versions: each agreement counts the changes to what pages show of it (tracker/changes.py)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 15:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_version', sa.BigInteger(), server_default='0', nullable=False))
    # Each agreement starts at a random version, as new ones do (tracker/changes.py): two databases migrated alike
    # (a copy on a test system sharing Redis) do not share versions with different content.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE agreements SET content_version = floor(random() * 1073741824)::bigint")
    else:
        op.execute("UPDATE agreements SET content_version = abs(random()) % 1073741824")


def downgrade():
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_column('content_version')
