"""Candidate passphrases: formats, validation without echoing secrets, env and prompt sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from wlandoctor.capture import candidates as c


def test_labelled_bare_comments_and_blanks() -> None:
    text = (
        "# candidates for the lobby\n\ncurrent: new-pass-2024\nold: old pass with spaces\nbare-passphrase\n"
    )
    got = c.parse_candidates(text, "f")
    assert [(x.label, x.secret, x.position) for x in got] == [
        ("current", "new-pass-2024", 1),
        ("old", "old pass with spaces", 2),
        ("#3", "bare-passphrase", 3),
    ]


def test_colon_inside_a_bare_passphrase_is_not_a_label() -> None:
    (x,) = c.parse_candidates("my pass: has colon\n", "f")  # label may not contain spaces
    assert (x.label, x.secret) == ("#1", "my pass: has colon")
    (y,) = c.parse_candidates("a:b:c:d:e:f\n", "f")  # no space after the colon
    assert (y.label, y.secret) == ("#1", "a:b:c:d:e:f")


def test_hex_psk_and_crlf() -> None:
    psk = "f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e"
    got = c.parse_candidates(f"psk: {psk}\r\nother: 12345678\r\n", "f")
    assert [x.secret for x in got] == [psk, "12345678"]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("ok: 12345678\nbadlabelname: seven77\n", 2, "ambiguous: read as 'label: passphrase'"),
        ("ok: 12345678\nb: s7\n", 2, "candidate 2: passphrase too short (2 characters"),
        ("x" * 64 + "\n", 1, "passphrase too long (64 characters"),
        ("good: 12345678\ngood: 87654321\n", 2, "the label of line 1 is used again"),
        ("# only comments\n\n", 0, "no candidate passphrase found"),
    ],
)
def test_errors_name_the_line_never_the_secret(text: str, line: int, fragment: str) -> None:
    with pytest.raises(c.CandidateError) as ei:
        c.parse_candidates(text, "cands.txt")
    assert ei.value.line == line
    assert fragment in str(ei.value)
    assert str(ei.value).startswith("cands.txt")
    # never the text of the line: neither the secret nor the label (it may be a piece of a passphrase)
    for text_of_a_line in ("seven77", "badlabelname", "x" * 64, "87654321", "good", "s7"):
        assert text_of_a_line not in str(ei.value)


def test_a_backslash_reads_the_line_whole() -> None:
    got = c.parse_candidates("\\Summer: 2024rocks\n\\#hashtag-pass\n\\\\backslash1\n", "f")
    assert [(x.label, x.secret) for x in got] == [
        ("#1", "Summer: 2024rocks"),
        ("#2", "#hashtag-pass"),
        ("#3", "\\backslash1"),
    ]


def test_a_lone_carriage_return_ends_a_line() -> None:
    got = c.parse_candidates("one: 11111111\rtwo: 22222222\r", "f")
    assert [(x.label, x.secret) for x in got] == [("one", "11111111"), ("two", "22222222")]


def test_reads_are_bounded(tmp_path: Path) -> None:
    with pytest.raises(c.CandidateError, match=r"/dev/zero: larger than 4 MiB"):
        c.load_file("/dev/zero")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a: 12345678\n" * (c.MAX_BYTES // 12 + 1))
    with pytest.raises(c.CandidateError, match="larger than 4 MiB"):
        c.load_file(big)
    with pytest.raises(c.CandidateError, match="larger than 4 MiB"):
        c.load_env({c.ENV_VAR: "12345678\n" * (c.MAX_BYTES // 9 + 1)})


def test_environment_bytes_that_are_not_utf8() -> None:
    # os.environ turns such bytes into lone surrogates (surrogateescape)
    with pytest.raises(c.CandidateError, match=r"\$WLANDOCTOR_CANDIDATES:2: not UTF-8"):
        c.load_env({c.ENV_VAR: "one: 11111111\ntwo: 2222\udcff2222"})


def test_load_file_and_errors(tmp_path: Path) -> None:
    p = tmp_path / "c.txt"
    p.write_text("a: 12345678\n")
    assert [x.label for x in c.load_file(p)] == ["a"]
    with pytest.raises(c.CandidateError, match="cannot read"):
        c.load_file(tmp_path / "missing.txt")
    p.write_bytes(b"a: 12345678\n\xff\xfe\n")
    with pytest.raises(c.CandidateError, match=r"c.txt:2: not UTF-8"):
        c.load_file(p)


def test_env() -> None:
    assert c.load_env({}) is None
    assert c.load_env({c.ENV_VAR: "  \n"}) is None
    got = c.load_env({c.ENV_VAR: "one: 11111111\ntwo: 22222222"})
    assert got is not None and [x.label for x in got] == ["one", "two"]
    with pytest.raises(c.CandidateError, match=r"\$WLANDOCTOR_CANDIDATES:1"):
        c.load_env({c.ENV_VAR: "short"})


def test_prompt_skips_invalid_and_ends_on_empty(capsys: pytest.CaptureFixture[str]) -> None:
    answers = iter(["12345678", "short", "abcdefgh", ""])
    prompts: list[str] = []

    def fake(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    got = c.prompt(fake)
    assert [(x.label, x.secret) for x in got] == [("#1", "12345678"), ("#2", "abcdefgh")]
    err = capsys.readouterr().err
    assert "too short" in err and "short" not in err.replace("too short", "")
    with pytest.raises(c.CandidateError, match="no candidate"):
        c.prompt(lambda _p: "")


def test_candidate_repr_hides_the_secret() -> None:
    (x,) = c.parse_candidates("label: super-secret-value\n", "f")
    assert "super-secret-value" not in repr(x)
    assert "super-secret-value" not in str(x)
    assert str(x) == "label"
    assert "super-secret-value" not in repr([x])


def test_file_written_by_notepad_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    # a byte-order mark joined the first label: "current: ..." became a wrong bare passphrase, silently
    p = tmp_path / "cands.txt"
    p.write_bytes("\ufeffcurrent: 12345678\r\n# the one before\r\nprevious: biscotte1\r\n".encode())
    cands = c.load_file(p)
    assert [(x.label, x.secret, x.position) for x in cands] == [
        ("current", "12345678", 1),
        ("previous", "biscotte1", 2),
    ]
