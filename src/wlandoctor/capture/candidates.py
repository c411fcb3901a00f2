"""Candidate passphrases: loaded from a file, an environment variable or a hidden prompt, never from argv.

Format (file and ``WLANDOCTOR_CANDIDATES`` alike), one candidate per line::

    # comment lines and blank lines are skipped
    current: the-new-passphrase
    old: the-passphrase-before-the-change
    a-bare-line-is-labelled-by-its-position

    \a passphrase read whole: # not a comment, or Summer: 2024 not a label

A labelled line is ``label: passphrase`` where the label is a short word (letters, digits, ``_.-``,
up to 32 characters, no spaces) followed by ``": "``; anything else is a bare passphrase, labelled
``#1``, ``#2``... by its position among the candidates.  A line that starts with a backslash is a bare
passphrase, the backslash removed: the escape for a passphrase that starts with ``#``, or looks like
``word: rest``.  A passphrase is 8..63 characters, or a raw PSK of exactly 64 hex digits.

A line of the ``word: rest`` form whose ``rest`` is not a valid passphrase while the whole line is one is
ambiguous (a passphrase containing ``": "``, or a label on a bad passphrase): it is an error that names
the line number and asks for the backslash, never a silent split.  Errors name the source and line only,
never the text of a candidate line (a label may be a piece of a passphrase).  At most MAX_BYTES are read
from any source.

Candidates are shown by label only.  ``Candidate`` hides the secret from ``repr``/``str`` so that it
cannot leak into logs, reports or tracebacks by accident.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wlandoctor.model.errors import InputError

ENV_VAR = "WLANDOCTOR_CANDIDATES"
MAX_BYTES = 4 * 1024 * 1024  # thousands of candidates; never a device or a stray capture read whole
_LABEL = re.compile(r"^([A-Za-z0-9_.\-]{1,32}): (.*)$")
_HEX64 = re.compile(r"^[0-9A-Fa-f]{64}$")


@dataclass(frozen=True, slots=True)
class Candidate:
    label: str
    secret: str = field(repr=False, compare=True)
    position: int = 0

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"Candidate(label={self.label!r}, position={self.position})"


class CandidateError(InputError):
    """A candidate list problem; the message names the source and line, never the secret."""


def validate(secret: str) -> str | None:
    """None when ``secret`` is a valid WPA passphrase or 64-hex PSK, else why not (without echoing it)."""
    if _HEX64.match(secret):
        return None
    n = len(secret)
    if n < 8:
        return f"passphrase too short ({n} characters; WPA needs 8..63, or 64 hex digits)"
    if n > 63:
        return f"passphrase too long ({n} characters; WPA needs 8..63, or exactly 64 hex digits)"
    if any(ord(c) < 32 or ord(c) == 127 for c in secret):
        return "passphrase contains control characters"
    return None


def parse_candidates(text: str, source: str) -> list[Candidate]:
    """Parse the candidate format; raises CandidateError naming ``source`` and the line."""
    out: list[Candidate] = []
    labels: dict[str, int] = {}
    # (\n, \r\n and a lone \r end a line, as in every text input)
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        m = None if line.startswith("\\") else _LABEL.match(line)
        if m:
            label, secret = m.group(1), m.group(2)
            problem = validate(secret)
            if problem and validate(line) is None:
                raise CandidateError(
                    source,
                    number,
                    "ambiguous: read as 'label: passphrase' the passphrase is not valid, read whole the line "
                    "is; start the line with a backslash to read it whole as one passphrase",
                )
        else:
            label, secret = f"#{len(out) + 1}", line[1:] if line.startswith("\\") else line
            problem = validate(secret)
        if problem:
            raise CandidateError(source, number, f"candidate {len(out) + 1}: {problem}")
        if label in labels:
            raise CandidateError(source, number, f"the label of line {labels[label]} is used again")
        labels[label] = number
        out.append(Candidate(label, secret, len(out) + 1))
    if not out:
        raise CandidateError(source, 0, "no candidate passphrase found (blank and # lines are skipped)")
    return out


def load_file(path: str | Path) -> list[Candidate]:
    p = Path(path)
    try:
        with p.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise CandidateError(str(path), 0, f"cannot read the candidate file: {e.strerror or e}") from None
    if len(data) > MAX_BYTES:
        raise CandidateError(
            str(path), 0, f"larger than {MAX_BYTES // (1024 * 1024)} MiB: not a candidate list"
        )
    try:
        # (utf-8-sig: Notepad starts the file with a byte-order mark, which would else join the first
        # line's label, turning "current: secret" into a wrong bare passphrase without a word)
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise CandidateError(str(path), data[: e.start].count(b"\n") + 1, "not UTF-8 text") from None
    return parse_candidates(text, str(path))


def load_env(environ: dict[str, str] | None = None) -> list[Candidate] | None:
    env = os.environ if environ is None else environ
    value = env.get(ENV_VAR)
    if value is None or not value.strip():
        return None
    source = f"${ENV_VAR}"
    try:
        # (os.environ keeps bytes that are not UTF-8 as lone surrogates: refuse them here, not in PBKDF2)
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError as e:
        raise CandidateError(source, value[: e.start].count("\n") + 1, "not UTF-8 text") from None
    if size > MAX_BYTES:
        raise CandidateError(source, 0, f"larger than {MAX_BYTES // (1024 * 1024)} MiB: not a candidate list")
    return parse_candidates(value, source)


def prompt(getpass_fn: Callable[[str], str] | None = None) -> list[Candidate]:
    """Ask for candidates with a hidden prompt, one per prompt, an empty answer ends the list."""
    if getpass_fn is None:
        import getpass

        getpass_fn = getpass.getpass
    out: list[Candidate] = []
    while True:
        n = len(out) + 1
        secret = getpass_fn(f"Candidate passphrase #{n} (empty to finish): ")
        if not secret:
            break
        problem = validate(secret)
        if problem:
            print(f"candidate #{n}: {problem}; try again", file=sys.stderr)
            continue
        out.append(Candidate(f"#{n}", secret, n))
    if not out:
        raise CandidateError("<prompt>", 0, "no candidate passphrase entered")
    return out
