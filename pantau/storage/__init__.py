"""storage: SQLAlchemy Core tables, Alembic migrations (run on open), writer and read queries.

Imports only `pantau.model`. `pantau.services.store.Store` is the public face of it.
"""
