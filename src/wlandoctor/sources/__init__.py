"""Where bytes come from: files, folders, stdin."""

from wlandoctor.sources.inputs import MAX_EXPANSION, Input, expand_paths
from wlandoctor.sources.lines import (
    MAX_LINE,
    Line,
    decode_line,
    decode_text,
    iter_lines,
    iter_raw_lines,
    sanitize,
)

__all__ = [
    "MAX_EXPANSION",
    "MAX_LINE",
    "Input",
    "Line",
    "decode_line",
    "decode_text",
    "expand_paths",
    "iter_lines",
    "iter_raw_lines",
    "sanitize",
]
