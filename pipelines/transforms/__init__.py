"""The pipeline's stages as composite PTransforms: parse, dedupe, enrich, accounting."""
