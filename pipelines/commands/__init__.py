"""CLI subcommands; each module registers one command (see pipelines/cli.py)."""
