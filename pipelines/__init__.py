"""newsbeam's Beam pipelines: sources, parse, dedupe, enrich, sinks."""

from importlib.metadata import PackageNotFoundError, version

from schemas.coders import register_coders

try:
    __version__ = version("newsbeam")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+local"

# Every process that imports the pipelines (launcher and workers) must know the coders.
register_coders()
