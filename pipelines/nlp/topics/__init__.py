"""IPTC Media Topics tagging (pure functions, no Beam)."""
