"""Cross-check the EAPOL-Key fields we parse against Wireshark's dissector (tshark), capture by capture.

tshark is an external program.  In CI (``CI=true``) its absence is a failure: CI installs it.  Elsewhere
the test is skipped with a visible reason.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from wlandoctor.capture.messages import classify
from wlandoctor.capture.reader import open_capture

CAPS = Path(__file__).parent / "data" / "captures"
CAPTURES = sorted(p for p in CAPS.iterdir() if p.suffix in (".cap", ".pcap", ".dump"))
FIELDS = [
    "frame.number",
    "eapol.keydes.replay_counter",
    "wlan_rsna_eapol.keydes.nonce",
    "wlan_rsna_eapol.keydes.mic",
    "wlan_rsna_eapol.keydes.key_info",
    "eapol.keydes.type",
    "wlan_rsna_eapol.keydes.msgnr",
]
MSGNR = {"M1": 1, "M2": 2, "M3": 3, "M4": 4, "G1": 1, "G2": 2}


def _tshark() -> str:
    path = shutil.which("tshark")
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("tshark is not on PATH but CI=true: CI must install tshark (apt-get install tshark)")
        pytest.skip("tshark is not installed: EAPOL fields not cross-checked against Wireshark")
    return path


@functools.cache
def tshark_eapol(tshark: str, capture: Path) -> dict[int, tuple[int, str, str, int, int, int | None]]:
    cmd = [tshark, "-r", str(capture), "-Y", "eapol.type == 3", "-T", "fields", "-E", "separator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    # tshark exits 2 when the file ends mid-packet (handshake_has_1234.cap) but still prints every field.
    assert proc.returncode in (0, 2), proc.stderr
    out = proc.stdout
    rows = {}
    for line in out.splitlines():
        n, rc, nonce, mic, ki, desc, msg = line.split(",")
        rows[int(n)] = (int(rc), nonce, mic, int(ki, 16), int(desc), int(msg) if msg else None)
    return rows


@pytest.mark.parametrize("capture", CAPTURES, ids=[p.name for p in CAPTURES])
def test_eapol_fields_match_tshark(capture: Path) -> None:
    tshark = _tshark()
    expected = tshark_eapol(tshark, capture)
    ours = {}
    with open_capture(capture) as cap:
        for f in cap.frames():
            if f.key is not None:
                k = f.key
                ours[f.number] = (
                    k.replay_counter,
                    k.nonce.hex(),
                    k.mic.hex(),
                    k.key_info,
                    k.descriptor_type,
                    MSGNR.get(classify(k)),
                )
    assert set(ours) == set(expected), f"EAPOL-Key frames differ: {sorted(set(ours) ^ set(expected))[:10]}"
    for n, row in expected.items():
        assert ours[n] == row, f"frame {n}: ours {ours[n]} != tshark {row}"


def test_corpus_has_eapol_to_compare() -> None:
    tshark = _tshark()
    total = sum(len(tshark_eapol(tshark, c)) for c in CAPTURES)
    assert total >= 150  # the comparison above is not vacuous
