"""Where bytes come from: files, folders, stdin."""

from wlandoctor.sources.inputs import Input, expand_paths
from wlandoctor.sources.lines import MAX_LINE, Line, iter_lines, sanitize

__all__ = ["MAX_LINE", "Input", "Line", "expand_paths", "iter_lines", "sanitize"]
