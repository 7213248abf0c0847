"""The alembic environment shared by this extension's plugins' migration folders.

CKAN runs each plugin's migrations from ``migration/<plugin>/`` (``ckan db upgrade``);
each folder's ``env.py`` calls ``run_migrations`` with its own version table.
"""
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool


def run_migrations(env_file: str) -> None:
    config = context.config
    fileConfig(config.config_file_name)
    # Each plugin keeps its own version table, named after its migration folder.
    version_table = "{}_alembic_version".format(os.path.basename(os.path.dirname(env_file)))
    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=None,
                          literal_binds=True, version_table=version_table)
        with context.begin_transaction():
            context.run_migrations()
        return
    connectable = engine_from_config(config.get_section(config.config_ini_section),
                                     prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=None,
                          version_table=version_table)
        with context.begin_transaction():
            context.run_migrations()
