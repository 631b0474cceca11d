"""report versions per language; the agreements a report covers as a table

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 13:05:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

reports = sa.table('reports', sa.column('id', sa.Integer()), sa.column('agreement_ids', sa.JSON()))
report_agreements = sa.table('report_agreements', sa.column('report_id', sa.Integer()),
                             sa.column('agreement_id', sa.Integer()))


def upgrade():
    # Read the covered agreements before the reports table is rebuilt (SQLite rebuilds it in batch mode, which a
    # foreign key into it would refuse), then keep them in their own table.
    connection = op.get_bind()
    rows = [{'report_id': report_id, 'agreement_id': agreement_id}
            for report_id, ids in connection.execute(sa.select(reports.c.id, reports.c.agreement_ids))
            for agreement_id in sorted(set(ids or []))]

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_scope_month')
        batch_op.create_index('ix_reports_scope_month', ['scope', 'month', 'language', 'number'], unique=True)
        batch_op.drop_column('agreement_ids')

    op.create_table('report_agreements',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_report_agreements_agreement_id_agreements')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_agreements_report_id_reports')),
    sa.PrimaryKeyConstraint('report_id', 'agreement_id', name=op.f('pk_report_agreements'))
    )
    with op.batch_alter_table('report_agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_agreements_agreement_id'), ['agreement_id'], unique=False)
    if rows:
        connection.execute(report_agreements.insert(), rows)


def downgrade():
    connection = op.get_bind()
    covered = {}
    for report_id, agreement_id in connection.execute(sa.select(report_agreements.c.report_id,
                                                                report_agreements.c.agreement_id)):
        covered.setdefault(report_id, []).append(agreement_id)
    with op.batch_alter_table('report_agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_agreements_agreement_id'))
    op.drop_table('report_agreements')

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreement_ids', sa.JSON(), nullable=True))
        batch_op.drop_index('ix_reports_scope_month')

    # Versions numbered per language may repeat a (scope, month, number): number them again across languages.
    numbered = sa.table('reports', sa.column('id', sa.Integer()), sa.column('scope', sa.String()),
                        sa.column('month', sa.String()), sa.column('number', sa.Integer()),
                        sa.column('agreement_ids', sa.JSON()))
    counters = {}
    for report_id, scope, month in connection.execute(
            sa.select(numbered.c.id, numbered.c.scope, numbered.c.month).order_by(numbered.c.id)).all():
        counters[(scope, month)] = counters.get((scope, month), 0) + 1
        connection.execute(numbered.update().where(numbered.c.id == report_id).values(
            number=counters[(scope, month)], agreement_ids=sorted(covered.get(report_id, []))))

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.alter_column('agreement_ids', existing_type=sa.JSON(), nullable=False)
        batch_op.create_index('ix_reports_scope_month', ['scope', 'month', 'number'], unique=True)
