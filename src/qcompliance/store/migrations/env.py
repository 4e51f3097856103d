"""Alembic's environment: run migrations on the connection the store hands over.

The store never reads an ``alembic.ini``: it builds the configuration in code and passes its
open connection as ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

from qcompliance.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
