"""Sources and sinks: files, JSON Lines, and (in sibling modules) Kafka, Parquet, PostgreSQL."""
