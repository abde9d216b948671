"""Dataflow Flex Template entry point (FLEX_TEMPLATE_PYTHON_PY_FILE).

The template launcher runs ``python main.py --input=... --output=... --runner=DataflowRunner
--project=... --region=... --temp_location=... [--sdk_container_image=...]``: the template's
parameters arrive as pipeline options. It builds the same pipeline as ``newsbeam run`` (one
``build``), submits it and returns; Dataflow runs it. No runner-specific code: only options.
"""

from __future__ import annotations

import logging
import sys

from pipelines.launch import submit

if __name__ == "__main__":
    logging.getLogger().setLevel(logging.INFO)
    submit(sys.argv[1:])
