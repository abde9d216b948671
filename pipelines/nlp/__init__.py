"""Pure functions (no Beam): decoding, parsing, normalising, hashing, scoring."""
