"""Alembic environment: always run from `lingxi.memory.migrate` on a connection it passes."""

from __future__ import annotations

from alembic import context

from lingxi.memory.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through lingxi.memory.migrate (it passes a connection)")
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
