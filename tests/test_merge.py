"""Several sources of one failing connection, given together: one station timeline, corroborated causes.

The inputs are real: the 802.1X lab's wrong-password and wrong-secret runs (hostapd -dd, wpa_supplicant -dd,
freeradius -X on one machine, so their clocks agree) and the hostapd excerpt of haasmesh#2 (a PSK mismatch,
OpenWrt logread).  The client side of haasmesh#2 was not posted; tests/data/merge holds a short wpa_supplicant
excerpt written for it in the shape of the real morrownr/88x2bu#78 excerpt (see tests/data/merge/SOURCES.md).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from wlandoctor.model import Cause, Diagnosis
from wlandoctor.pipeline import Options, diagnose_paths

DATA = Path(__file__).parent / "data"
LAB = DATA / "lab"
STA = "02:1a:b0:00:00:02"
PSK_STA = "8a:19:02:28:12:a8"
HAASMESH_AP = DATA / "hostap" / "haasmesh_issue2_psk_mismatch.log"
HAASMESH_CLIENT = DATA / "merge" / "haasmesh_client_wpa_supplicant.log"


def diagnosis(paths: list[Path], station: str = STA, skew: float = 0.0) -> Diagnosis:
    report = diagnose_paths([str(p) for p in paths], Options(clock_skew_s=skew, jobs=1))
    found = [d for d in report.diagnoses if d.station == station]
    assert len(found) == 1, f"{station}: {[d.station for d in report.diagnoses]}"
    return found[0]


def top(d: Diagnosis) -> Cause:
    assert d.causes, f"{d.station}: no cause (verdict {d.verdict})"
    return d.causes[0]


def confidence_of(d: Diagnosis, cause_id: str) -> float | None:
    return next((c.confidence for c in d.causes if c.id == cause_id), None)


def cited_sources(c: Cause) -> set[str]:
    return {ev.source for ev in c.evidence}


# ------------------------------------------------------------------------ AP log + client log (802.1X)


def test_hostapd_and_wpa_supplicant_make_one_corroborated_timeline() -> None:
    hapd, supp = LAB / "wrong-password" / "hostapd.log", LAB / "wrong-password" / "wpa_supplicant.log"
    both = diagnosis([hapd, supp])
    tl = both.timeline
    assert tl is not None and tl.sources == {str(hapd), str(supp)}
    daemons = {e.attrs.get("daemon") for a in tl.attempts for e in a.events}
    assert {"hostapd", "wpa_supplicant"} <= daemons
    assert str(both.verdict) == "failed" and str(both.stage) == "802.1x"

    best = top(both)
    assert cited_sources(best) == {str(hapd), str(supp)}, best.evidence
    assert best.extra["seen_by"] == sorted([str(hapd), str(supp)])
    assert any("seen independently by 2 sources" in w for w in best.why_confidence)

    alone = {p: diagnosis([p]) for p in (hapd, supp)}
    for p, d in alone.items():
        assert best.confidence > top(d).confidence, (p.name, top(d).id, top(d).confidence)
        same = confidence_of(d, best.id)
        assert same is None or best.confidence > same
        assert all("seen_by" not in c.extra for c in d.causes), "one source cannot corroborate itself"


def test_both_sides_of_one_eap_failure_are_one_attempt() -> None:
    d = diagnosis([LAB / "wrong-password" / "hostapd.log", LAB / "wrong-password" / "wpa_supplicant.log"])
    assert d.timeline is not None
    last = d.timeline.attempts[-1]
    kinds = {(e.kind, e.attrs.get("daemon")) for e in last.events}
    assert ("radius.reject", "hostapd") in kinds and ("eap.failure", "wpa_supplicant") in kinds
    assert top(d).id == "radius-reject/bad-credentials"


# ------------------------------------------------------------------------ AP log + RADIUS server log


def test_hostapd_and_freeradius_agree_on_the_wrong_password() -> None:
    hapd, radius = LAB / "wrong-password" / "hostapd.log", LAB / "wrong-password" / "radius.log"
    alone = diagnosis([hapd])
    both = diagnosis([hapd, radius])
    assert both.timeline is not None and both.timeline.sources == {str(hapd), str(radius)}
    best = top(both)
    assert best.id == "radius-reject/bad-credentials" == top(alone).id
    assert best.extra["seen_by"] == sorted([str(hapd), str(radius)])
    # the server's own reason is cited first, the module's line that says it, then the Access-Reject
    server = [ev for ev in best.evidence if ev.source == str(radius)]
    assert [ev.text for ev in server[:2]] == [
        "(8) mschap: ERROR: MS-CHAP2-Response is incorrect",
        "(9) Sent Access-Reject Id 9 from 127.0.0.1:1812 to 127.0.0.1:41424 length 44",
    ]
    assert any("credential did not match" in w for w in best.why_confidence)
    assert best.confidence >= top(alone).confidence + 0.3


def test_freeradius_turns_a_silent_server_into_a_shared_secret_diagnosis() -> None:
    hapd, radius = LAB / "wrong-secret" / "hostapd.log", LAB / "wrong-secret" / "radius.log"
    alone = diagnosis([hapd])
    assert top(alone).id == "radius-no-reply/nas-not-registered"  # hostapd only sees silence
    both = diagnosis([hapd, radius])
    best = top(both)
    assert best.id == "radius-no-reply/shared-key-mismatch"
    assert best.extra["seen_by"] == sorted([str(hapd), str(radius)])
    assert any("Shared secret is incorrect" in ev.text for ev in best.evidence)
    before = confidence_of(alone, best.id)
    assert before is not None and best.confidence > before + 0.5


# ------------------------------------------------------------------------------ PSK: AP + client


def test_psk_mismatch_seen_by_ap_and_client() -> None:
    ap_only = diagnosis([HAASMESH_AP], PSK_STA)
    both = diagnosis([HAASMESH_AP, HAASMESH_CLIENT], PSK_STA)
    assert both.timeline is not None and both.timeline.sources == {str(HAASMESH_AP), str(HAASMESH_CLIENT)}
    assert len(both.timeline.attempts) == 1
    best = top(both)
    assert best.rule == "4way-m2-mic-mismatch" and best.id == top(ap_only).id
    assert best.extra["seen_by"] == sorted([str(HAASMESH_AP), str(HAASMESH_CLIENT)])
    assert best.confidence > top(ap_only).confidence
    lines = {(Path(ev.source).name, ev.line) for ev in best.evidence}
    assert ("haasmesh_issue2_psk_mismatch.log", 12) in lines  # AP-STA-POSSIBLE-PSK-MISMATCH
    assert ("haasmesh_client_wpa_supplicant.log", 4) in lines  # CTRL-EVENT-SSID-TEMP-DISABLED WRONG_KEY


# ------------------------------------------------------------------------------------- clock skew


def _shifted(src: Path, dest: Path, seconds: int) -> Path:
    """The client log with its clock moved by ``seconds`` (ISO stamps, as journalctl -o short-iso)."""

    def move(m: re.Match[str]) -> str:
        t = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S") + timedelta(seconds=seconds)
        return t.strftime("%Y-%m-%dT%H:%M:%S")

    text = re.sub(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)", move, src.read_text("utf-8"), flags=re.M)
    assert text != src.read_text("utf-8")
    dest.write_text(text, "utf-8")
    return dest


def test_clock_skew_joins_a_client_log_whose_clock_runs_ahead(tmp_path: Path) -> None:
    # The client's clock is 150 s ahead: its end of the handshake seems to come long after the AP's.
    client = _shifted(HAASMESH_CLIENT, tmp_path / "client.log", 150)
    plain = diagnosis([HAASMESH_AP, client], PSK_STA)
    assert plain.timeline is not None and len(plain.timeline.attempts) == 2, "the gap splits the attempt"
    assert "seen_by" not in top(plain).extra

    tolerant = diagnosis([HAASMESH_AP, client], PSK_STA, skew=180)
    assert tolerant.timeline is not None and len(tolerant.timeline.attempts) == 1
    best = top(tolerant)
    assert best.rule == "4way-m2-mic-mismatch"
    assert best.extra["seen_by"] == sorted([str(HAASMESH_AP), str(client)])
    before = confidence_of(plain, best.id)
    assert before is not None and best.confidence > before


def test_clock_skew_joins_a_client_log_whose_clock_runs_behind(tmp_path: Path) -> None:
    client = _shifted(HAASMESH_CLIENT, tmp_path / "client.log", -5)
    d = diagnosis([HAASMESH_AP, client], PSK_STA, skew=10)
    assert d.timeline is not None and len(d.timeline.attempts) == 1
    assert top(d).extra.get("seen_by") == sorted([str(HAASMESH_AP), str(client)])


# ------------------------------------------------------------------------- a weak hint stays weak


def test_pre_shared_key_may_be_incorrect_alone_is_no_confident_wrong_key() -> None:
    """wpa_supplicant prints the hint for any disconnect during the handshake (morrownr/88x2bu#78: the key
    was right).  On its own it must not make a wrong key the diagnosis."""
    excerpt = DATA / "hostap" / "88x2bu_issue78_wpa_supplicant_wrong_key.log"
    d = diagnosis([excerpt], "b4:4b:d6:2b:49:7a")
    assert str(d.verdict) == "failed"
    assert all(c.rule != "4way-m2-mic-mismatch" for c in d.causes), [c.id for c in d.causes]
    wrong_key = [c for c in d.causes if "wrong-key" in c.id or "passphrase" in c.id or "cached-key" in c.id]
    assert wrong_key, "the hint is still shown as a possibility"
    assert top(d) not in wrong_key and all(c.confidence < 0.5 for c in wrong_key)


def test_the_client_verdict_wrong_key_reaches_the_key_mismatch_rule() -> None:
    """reason=WRONG_KEY (the network disabled for a while) makes the key-mismatch rule fire on the client's
    log alone; wpa_supplicant decides it on the same grounds as the hint, so a handshake timeout that a key
    mismatch cannot be told from stays beside it, and the AP's log decides (test above)."""
    d = diagnosis([HAASMESH_CLIENT], PSK_STA)
    rules = [c.rule for c in d.causes]
    assert "4way-m2-mic-mismatch" in rules and "4way-handshake-timeout" in rules, rules
    mic = next(c for c in d.causes if c.rule == "4way-m2-mic-mismatch")
    assert any(ev.line == 4 and ev.kind == "key.mismatch.summary" for ev in mic.evidence)


# ------------------------------------------------------- three sources, the server's without time stamps


def test_the_untimed_server_log_joins_the_attempt_its_replies_end() -> None:
    """AP, server (radiusd -X: no time stamps) and client of one wrong-password run, in any order: one
    attempt holding all three, the server's reply at the AP's reply time, marked as inferred."""
    run = LAB / "wrong-password"
    logs = [run / "hostapd.log", run / "radius.log", run / "wpa_supplicant.log"]
    for order in (logs, logs[::-1], [logs[1], logs[0], logs[2]]):
        d = diagnosis(order)
        assert d.timeline is not None
        [attempt] = d.timeline.attempts
        assert {Path(e.ref.source).name for e in attempt.events} == {
            "hostapd.log",
            "radius.log",
            "wpa_supplicant.log",
        }
        best = top(d)
        assert best.id == "radius-reject/bad-credentials" and best.confidence >= 0.9
        assert sorted(Path(s).name for s in best.extra["seen_by"]) == [
            "hostapd.log",
            "radius.log",
            "wpa_supplicant.log",
        ]
        rejects = {Path(e.ref.source).name: e for e in attempt.events if e.kind == "radius.reject"}
        assert rejects["radius.log"].time == rejects["hostapd.log"].time
        assert rejects["radius.log"].attrs["time_inferred"] is True
        assert "time_inferred" not in rejects["hostapd.log"].attrs
        server = [e for e in attempt.events if Path(e.ref.source).name == "radius.log"]
        assert all(e.time is not None and e.attrs.get("time_inferred") for e in server)


def test_the_timeline_command_says_which_times_were_inferred() -> None:
    import json
    import subprocess
    import sys

    run = LAB / "wrong-password"
    args = ["timeline", str(run / "hostapd.log"), str(run / "radius.log"), "--station", STA]
    text = subprocess.run([sys.executable, "-m", "wlandoctor", *args], capture_output=True, timeout=120)
    doc = subprocess.run(
        [sys.executable, "-m", "wlandoctor", *args, "--format", "json"], capture_output=True, timeout=120
    )
    assert text.returncode == doc.returncode == 0, text.stderr.decode()
    events = [e for a in json.loads(doc.stdout)["attempts"] for e in a["events"]]
    server = [e for e in events if e["source"].endswith("radius.log")]
    assert server and all(e["attrs"].get("time_inferred") for e in server)
    assert not any(e["attrs"].get("time_inferred") for e in events if e["source"].endswith("hostapd.log"))
    assert text.stdout.decode().count("(inferred)") == len(server)


def _epoch_shifted(src: Path, dest: Path, seconds: float) -> Path:
    """A hostapd/wpa_supplicant -t log with its clock moved by ``seconds``."""
    text = re.sub(
        r"^(\d{10}\.\d{6}):",
        lambda m: f"{float(m.group(1)) + seconds:.6f}:",
        src.read_text("utf-8"),
        flags=re.M,
    )
    dest.write_text(text, "utf-8")
    return dest


def test_the_other_side_of_a_successful_connection_is_the_same_attempt(tmp_path: Path) -> None:
    """The client logs its EAP-Success a tenth of a millisecond after the AP's 'connected': the same
    exchange seen from the other side, not a second attempt; a client 3 s late is one only with a clock
    skew allowed."""
    run = LAB / "success"
    logs = [run / "hostapd.log", run / "radius.log", run / "wpa_supplicant.log"]
    d = diagnosis(logs)
    assert d.verdict == "online" and d.timeline is not None
    [attempt] = d.timeline.attempts
    assert {Path(e.ref.source).name for e in attempt.events} == {
        "hostapd.log",
        "radius.log",
        "wpa_supplicant.log",
    }

    late = _epoch_shifted(run / "wpa_supplicant.log", tmp_path / "wpa_supplicant.log", 3.0)
    apart = diagnosis([run / "hostapd.log", late])
    assert apart.timeline is not None and len(apart.timeline.attempts) == 2
    joined = diagnosis([run / "hostapd.log", late], skew=5)
    assert joined.timeline is not None and len(joined.timeline.attempts) == 1


def test_a_controller_trace_and_a_windows_log_of_one_client_are_one_timeline(tmp_path: Path) -> None:
    """A 9800 trace names the client 2c9c.5829.1275, the client's own WLAN AutoConfig log
    2C:9C:58:29:12:75: one station, its attempts from both.  (Two real inputs of different networks, the
    trace's MAC and dates set to the Windows client's, to try the notations: no public pair of one client
    seen from both sides was found.)"""
    windows = DATA / "windows" / "osquery-winevents-dot1x.xml"
    trace = (DATA / "cisco9800" / "ra-c81c-m3-retries-wrong-replay-counter.log").read_text(encoding="utf-8")
    trace = trace.replace("c81c.fe19.f2e5", "2c9c.5829.1275").replace(
        "2023/02/27 14:42:", "2026/10/03 07:30:"
    )
    controller = tmp_path / "ra-2c9c.5829.1275.log"
    controller.write_text(trace, encoding="utf-8")
    report = diagnose_paths([str(windows), str(controller)], Options(jobs=1))
    assert [d.station for d in report.diagnoses] == ["2c:9c:58:29:12:75"]
    [d] = report.diagnoses
    sources = {e.ref.source for a in d.timeline.attempts for e in a.events}
    assert sources == {str(windows), str(controller)}
    # the controller's failed key exchange at 07:30 is an attempt of its own between the client's
    assert any(
        a.failed_stage == "4way-handshake" and {e.ref.source for e in a.events} == {str(controller)}
        for a in d.timeline.attempts
    )
