"""Versioned SQL migrations of the PostgreSQL sink, applied in order by pipelines/io/pg_migrate.py."""
