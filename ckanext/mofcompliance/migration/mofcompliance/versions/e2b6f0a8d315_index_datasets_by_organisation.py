"""Index active datasets by organisation.

The dashboard reads an organisation's scores by ``package.owner_org``, which CKAN core
does not index (its own lookups by organisation go to Solr): without this index every
organisation page scanned the whole ``package`` table (about 20 ms at 50,000 datasets).

Revision ID: e2b6f0a8d315
Revises: c4a7e2d19f60
Create Date: 2026-11-23

"""
from alembic import op

revision = "e2b6f0a8d315"
down_revision = "c4a7e2d19f60"
branch_labels = None
depends_on = None

INDEX = "mofcompliance_package_owner_org_idx"


def upgrade():
    op.execute("CREATE INDEX IF NOT EXISTS %s ON package (owner_org) "
               "WHERE state = 'active' AND type = 'dataset'" % INDEX)


def downgrade():
    op.execute("DROP INDEX IF EXISTS %s" % INDEX)
