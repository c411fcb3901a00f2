"""A real wired 802.1X lab (hostapd + FreeRADIUS + wpa_supplicant in network namespaces), then wlandoctor.

Each scenario runs the real daemons (tests/lab/netlab.py), proves from their own logs that the scenario
really happened, and then asks wlandoctor to explain the captured logs.  The stored copies under
tests/data/lab/ are checked with the same log assertions, without root.

Needs root (network namespaces) and the Debian packages in tests/lab/PACKAGES.  Without them the lab tests
are skipped with a loud reason, except under CI=true where missing binaries fail.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "lab"


def _load_netlab() -> Any:
    spec = importlib.util.spec_from_file_location("wlandoctor_test_netlab", HERE / "lab" / "netlab.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


netlab = _load_netlab()
STA = netlab.STA_MAC


# ------------------------------------------------------------------------------------------------------
# What each scenario must show in the daemons' own logs (used on live runs and on the stored copies)


def _count(text: str, pattern: str) -> int:
    return len(re.findall(pattern, text, flags=re.MULTILINE))


def _has(text: str, pattern: str, what: str, at_least: int = 1) -> None:
    n = _count(text, pattern)
    assert n >= at_least, f"{what}: expected {pattern!r} at least {at_least}x, found {n}x"


def _lacks(text: str, pattern: str, what: str) -> None:
    n = _count(text, pattern)
    assert n == 0, f"{what}: {pattern!r} must not appear, found {n}x"


def check_success(logs: dict[str, str]) -> None:
    sta, hapd, rad = logs["wpa_supplicant"], logs["hostapd"], logs["radius"]
    _has(sta, r"CTRL-EVENT-EAP-METHOD EAP vendor 0 method 25 \(PEAP\) selected", "supplicant chose PEAP")
    _has(sta, r"CTRL-EVENT-EAP-PEER-CERT depth=0 subject='/CN=radius\.lab\.invalid'", "server cert seen")
    _has(sta, r"CTRL-EVENT-EAP-SUCCESS EAP authentication completed successfully", "supplicant EAP success")
    _has(sta, r"EAPOL: SUPP_PAE entering state AUTHENTICATED", "supplicant PAE authenticated")
    _lacks(sta, r"CTRL-EVENT-EAP-FAILURE", "supplicant")
    _has(rad, r"mschap: Found Cleartext-Password", "inner MSCHAPv2 checked")
    _has(rad, r"Sent Access-Accept Id \d+ from 127\.0\.0\.1:1812", "FreeRADIUS accepted")
    _lacks(rad, r"Sent Access-Reject", "FreeRADIUS")
    _has(hapd, r"RADIUS message: code=2 \(Access-Accept\)", "hostapd got the Accept")
    _has(hapd, rf"CTRL-EVENT-EAP-SUCCESS2 {STA}", "hostapd EAP success")
    _has(hapd, rf"AP-STA-CONNECTED {STA}", "hostapd station connected")
    _has(hapd, rf"STA {STA} IEEE 802\.1X: authorizing port", "port authorized")


def check_wrong_password(logs: dict[str, str]) -> None:
    sta, hapd, rad = logs["wpa_supplicant"], logs["hostapd"], logs["radius"]
    # The TLS tunnel came up (so the failure is the credential, not the certificate) ...
    _has(sta, r"CTRL-EVENT-EAP-PEER-CERT depth=0", "server cert seen")
    # ... the inner MSCHAPv2 response was wrong, and the server said so.
    _has(rad, r"mschap: ERROR: MS-CHAP2-Response is incorrect", "FreeRADIUS rejected the password")
    _has(rad, r"Sent Access-Reject Id \d+ from 127\.0\.0\.1:1812", "FreeRADIUS sent Access-Reject")
    _lacks(rad, r"Sent Access-Accept", "FreeRADIUS")
    _has(hapd, r"RADIUS message: code=3 \(Access-Reject\)", "hostapd got the Reject")
    _has(hapd, rf"CTRL-EVENT-EAP-FAILURE2 {STA}", "hostapd EAP failure")
    _has(hapd, rf"Force disconnection of {STA} after EAP-Failure", "hostapd disconnects after failure")
    _lacks(hapd, rf"STA {STA} IEEE 802\.1X: authorizing port", "hostapd")
    _has(sta, r"CTRL-EVENT-EAP-FAILURE EAP authentication failed", "supplicant EAP failure")
    _lacks(sta, r"CTRL-EVENT-EAP-SUCCESS", "supplicant")


def check_radius_down(logs: dict[str, str]) -> None:
    sta, hapd, rad = logs["wpa_supplicant"], logs["hostapd"], logs["radius"]
    port = netlab.DEAD_RADIUS_PORT
    _has(hapd, rf"RADIUS Authentication server 127\.0\.0\.1:{port}$", "hostapd uses the dead port")
    _has(hapd, rf"STA {STA} IEEE 802\.1X: STA identity '{netlab.LAB_USER}'", "identity came in")
    _has(hapd, r"RADIUS Sending RADIUS message to authentication server", "first Access-Request")
    _has(hapd, r"RADIUS: Resending RADIUS message \(id=\d+\)", "retransmissions", at_least=2)
    _has(hapd, r"recvmsg\[RADIUS\]: Connection refused", "ICMP port unreachable seen")
    _lacks(hapd, r"RADIUS Received RADIUS message", "hostapd (no reply may arrive)")
    _lacks(rad, r"Received Access-Request", "FreeRADIUS on 1812 (nothing was sent to it)")
    _has(sta, r"CTRL-EVENT-EAP-STARTED", "supplicant started EAP")
    _lacks(sta, r"CTRL-EVENT-EAP-(SUCCESS|FAILURE)", "supplicant (EAP never finished)")


def check_wrong_secret(logs: dict[str, str]) -> None:
    sta, hapd, rad = logs["wpa_supplicant"], logs["hostapd"], logs["radius"]
    _has(
        rad,
        r"Received packet from 127\.0\.0\.1 with invalid Message-Authenticator!"
        r"\s+\(Shared secret is incorrect\.\)",
        "FreeRADIUS rejects the Message-Authenticator",
        at_least=3,  # the request and its retransmissions
    )
    _lacks(rad, r"Sent Access-(Accept|Reject|Challenge)", "FreeRADIUS (it drops without answering)")
    _has(hapd, r"RADIUS Sending RADIUS message to authentication server", "first Access-Request")
    _has(hapd, r"RADIUS: Resending RADIUS message \(id=\d+\)", "retransmissions", at_least=2)
    _lacks(hapd, r"RADIUS Received RADIUS message", "hostapd (no reply may arrive)")
    _lacks(sta, r"CTRL-EVENT-EAP-(SUCCESS|FAILURE)", "supplicant (EAP never finished)")


def check_no_supplicant(logs: dict[str, str]) -> None:
    hapd, rad = logs["hostapd"], logs["radius"]
    assert "wpa_supplicant" not in logs, "no supplicant runs in this scenario"
    _has(hapd, rf"Got DHCP broadcast packet from {STA}", "hostapd learnt the host from DHCP")
    _has(hapd, rf"CTRL-EVENT-EAP-STARTED {STA}", "hostapd started 802.1X")
    _has(hapd, r"CTRL-EVENT-EAP-PROPOSED-METHOD vendor=0 method=1$", "EAP-Request/Identity proposed")
    _has(hapd, rf"CTRL-EVENT-EAP-RETRANSMIT {STA}", "Request/Identity retransmitted", at_least=2)
    sent = re.findall(rf"STA {STA} IEEE 802\.1X: Sending EAP Packet \(identifier (\d+)\)", hapd)
    assert len(sent) >= 3 and len(set(sent)) == 1, f"the same Request/Identity sent 3x, got ids {sent}"
    _lacks(hapd, r"received EAP packet|received EAPOL-Start", "hostapd (the host never answers)")
    _lacks(rad, r"Received Access-Request", "FreeRADIUS (no identity, nothing to ask)")


def check_untrusted_server_cert(logs: dict[str, str]) -> None:
    sta, hapd, rad = logs["wpa_supplicant"], logs["hostapd"], logs["radius"]
    # The station refused the server's chain: its profile trusts another CA ...
    _has(sta, r"CTRL-EVENT-EAP-TLS-CERT-ERROR reason=1 ", "supplicant refused the server certificate")
    _has(
        sta,
        r"SSL3 alert: write \(local SSL3 detected an error\):fatal:unknown CA",
        "supplicant sent unknown CA",
    )
    # ... the server read the alert, never checked a password, and rejected.
    _has(rad, r"Alert read:fatal:unknown CA", "FreeRADIUS read the station's alert")
    _lacks(rad, r"^\(\d+\) mschap:", "FreeRADIUS (no inner method ran)")
    _has(rad, r"Sent Access-Reject Id \d+ from 127\.0\.0\.1:1812", "FreeRADIUS sent Access-Reject")
    _has(hapd, rf"CTRL-EVENT-EAP-FAILURE2 {STA}", "hostapd EAP failure")
    _has(sta, r"CTRL-EVENT-EAP-FAILURE EAP authentication failed", "supplicant EAP failure")


RAW_CHECKS: dict[str, Callable[[dict[str, str]], None]] = {
    "success": check_success,
    "wrong-password": check_wrong_password,
    "radius-down": check_radius_down,
    "wrong-secret": check_wrong_secret,
    "no-supplicant": check_no_supplicant,
    "untrusted-server-cert": check_untrusted_server_cert,
}


def check_no_secrets(logs: dict[str, str]) -> None:
    """Neither the RADIUS shared secrets nor the user's password may show up in any daemon log."""
    for which, text in logs.items():
        for secret in (netlab.LAB_SECRET, netlab.WRONG_SECRET, netlab.LAB_PASSWORD, netlab.WRONG_PASSWORD):
            assert secret not in text, f"{which} log holds a secret"


# ------------------------------------------------------------------------------------------------------
# Fixtures: availability, one lab run per scenario (cached for the module), clean-up on any outcome


def _require_lab() -> None:
    missing = netlab.missing_binaries()
    if not netlab.FREERADIUS_CONF.joinpath("radiusd.conf").is_file():
        missing.append(f"{netlab.FREERADIUS_CONF}/radiusd.conf")
    if missing:
        msg = (
            f"802.1X LAB NOT RUN: missing {', '.join(missing)}; "
            f"install with: apt-get install -y {' '.join(netlab.packages())}"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(msg + " (CI=true: the lab must run in CI)", pytrace=False)
        pytest.skip(msg)
    problem = netlab.netns_problem()
    if problem:
        pytest.skip(f"802.1X LAB NOT RUN: cannot create network namespaces: {problem}")


@pytest.fixture(scope="module")
def lab_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Any]]:
    """``run(name)`` runs a scenario once per module and returns its ScenarioResult."""
    _require_lab()
    netlab.sweep_stale_namespaces()  # left by an earlier run that was killed (its daemons died with it)
    opened: list[Any] = []
    done: dict[str, Any] = {}
    failed: dict[str, BaseException] = {}

    def run(name: str) -> Any:
        if name in failed:
            pytest.fail(f"scenario {name} failed earlier in this module: {failed[name]}", pytrace=False)
        if name not in done:
            the_lab = netlab.Lab(tmp_path_factory.mktemp(f"lab-{name}"))
            opened.append(the_lab)
            try:
                the_lab.open()
                done[name] = netlab.run_scenario(name, the_lab)
            except BaseException as exc:
                failed[name] = exc
                raise
            finally:
                the_lab.close()
        return done[name]

    try:
        yield run
    finally:
        for the_lab in opened:  # safety net: close() is idempotent
            the_lab.close()
        leftovers = [ns for ns in _netns_list() if any(ns.startswith(f"wdlab-{lab.tag}-") for lab in opened)]
        assert not leftovers, f"namespaces left behind: {leftovers}"


def _netns_list() -> list[str]:
    res = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=False)
    return [line.split()[0] for line in res.stdout.splitlines() if line.strip()]


def _texts(result: Any) -> dict[str, str]:
    return {which: netlab.read_text(path) for which, path in result.logs.items()}


# ------------------------------------------------------------------------------------------------------
# The scenarios, live


@pytest.mark.parametrize("scenario", list(RAW_CHECKS))
def test_lab_scenario_really_happened(lab_runs: Callable[[str], Any], scenario: str) -> None:
    logs = _texts(lab_runs(scenario))
    RAW_CHECKS[scenario](logs)
    check_no_secrets(logs)


def test_lab_cleans_up_after_a_failed_wait(tmp_path: Path) -> None:
    """A scenario that fails mid-way still leaves no namespace and no process behind."""
    _require_lab()
    the_lab = netlab.Lab(tmp_path)
    names = (the_lab.ns_auth, the_lab.ns_sta)
    log = tmp_path / "never.log"
    with pytest.raises(netlab.LabTimeout, match="did not appear"), the_lab:
        assert set(names) <= set(_netns_list())
        sleeper = the_lab.start("sleeper", the_lab.ns_sta, ["sleep", "60"], log)
        netlab.wait_for(log, "a line that never comes", timeout=0.5, daemon=sleeper)
    assert sleeper.proc.poll() is not None, "the process started in the lab is still running"
    assert not set(names) & set(_netns_list()), "namespaces still exist after close()"


def test_lab_wait_reports_a_dead_daemon(tmp_path: Path) -> None:
    """A daemon that exits early is reported with its exit code and log tail, not after the timeout."""
    _require_lab()
    with netlab.Lab(tmp_path) as the_lab:
        log = tmp_path / "false.log"
        d = the_lab.start(
            "sh", the_lab.ns_auth, ["sh", "-c", "echo config error; exit 3"], log, stdout_to_log=True
        )
        with pytest.raises(netlab.LabTimeout, match=r"(?s)sh exited \(code 3\).*config error"):
            netlab.wait_for(log, "never", timeout=10, daemon=d)


# ------------------------------------------------------------------------------------------------------
# wlandoctor on the captured logs


# ``wlandoctor`` is the console script ``wlandoctor.cli.app:main``: run that entry point in a new interpreter.
_CLI = "import sys; from wlandoctor.cli.app import main; sys.argv[0] = 'wlandoctor'; main()"


def diagnose(paths: list[Path]) -> dict[str, Any]:
    argv = [sys.executable, "-c", _CLI, "diagnose", *map(str, paths), "--format", "json"]
    res = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode in (0, 1), f"wlandoctor diagnose exited {res.returncode}: {res.stderr[-2000:]}"
    assert res.stdout.strip(), f"wlandoctor diagnose printed nothing (stderr: {res.stderr[-2000:]})"
    report: dict[str, Any] = json.loads(res.stdout)
    names = [i["source"] for i in report["inputs"]]
    for st in report["stations"]:  # (evidence names its input by position: by name here, as logs do)
        for e in st.get("evidence", []):
            e["source"] = names[e.pop("input")]
    return report


def _station(report: dict[str, Any]) -> dict[str, Any]:
    """The lab station of a JSON report (2.0), its causes resolved: catalogue prose and evidence lines."""
    stations = {s["station"]: s for s in report["stations"]}
    assert STA in stations, f"station {STA} not found; stations: {sorted(stations)}"
    st = stations[STA]
    st["causes"] = [
        {**report["causes"][c["key"]], **c, "evidence": [st["evidence"][i] for i in c["evidence"]]}
        for c in st.get("causes", [])
    ]
    return st


def _cause_ids(station: dict[str, Any]) -> list[str]:
    return [c["id"] for c in station["causes"]]


def expect_success(station: dict[str, Any]) -> None:
    assert station["verdict"] == "online" or (station["verdict"] != "failed" and not station["causes"]), (
        f"verdict {station['verdict']}, causes {_cause_ids(station)}"
    )


def _expect_cause(station: dict[str, Any], needles: tuple[str, ...]) -> None:
    ids = _cause_ids(station)
    hits = [c for c in station["causes"] if any(n in c["id"] for n in needles)]
    assert hits, f"no cause id containing {' or '.join(needles)}; causes: {ids}, verdict {station['verdict']}"
    assert hits[0] is station["causes"][0], f"{hits[0]['id']} is not the top cause; causes: {ids}"
    assert hits[0]["stage"] == "802.1x", f"cause {hits[0]['id']} at stage {hits[0]['stage']}"
    assert hits[0]["evidence"], f"cause {hits[0]['id']} cites no evidence"


def expect_wrong_password(station: dict[str, Any]) -> None:
    assert station["verdict"] == "failed", f"verdict {station['verdict']}"
    assert station["stage"] == "802.1x", f"failed at {station['stage']}"
    _expect_cause(station, ("eap-failure", "radius-reject"))


def expect_radius_down(station: dict[str, Any]) -> None:
    _expect_cause(station, ("radius-no-reply", "radius-unreachable"))


def expect_wrong_secret(station: dict[str, Any]) -> None:
    # The server stays silent, so the cause is "no reply"; FreeRADIUS's own line ("Shared secret is
    # incorrect") makes the shared key the leading hypothesis of that rule.
    _expect_cause(station, ("radius-no-reply/shared-key-mismatch",))


def expect_no_supplicant(station: dict[str, Any]) -> None:
    _expect_cause(station, ("eap-identity-timeout",))


def expect_untrusted_server_cert(station: dict[str, Any]) -> None:
    # The daemons' logs, or the capture alone (the station's TLS alert travels in the clear), say the
    # station refused the server's certificate: not a wrong password.
    assert (station["verdict"], station["stage"]) == ("failed", "802.1x"), station["verdict"]
    _expect_cause(station, ("station-refused-server-certificate",))


EXPECT: dict[str, Callable[[dict[str, Any]], None]] = {
    "success": expect_success,
    "wrong-password": expect_wrong_password,
    "radius-down": expect_radius_down,
    "wrong-secret": expect_wrong_secret,
    "no-supplicant": expect_no_supplicant,
    "untrusted-server-cert": expect_untrusted_server_cert,
}


@pytest.mark.parametrize("name", netlab.SCENARIOS)
def test_lab_diagnosis(lab_runs: Callable[[str], Any], name: str) -> None:
    result = lab_runs(name)
    EXPECT[name](_station(diagnose(list(result.logs.values()))))


@pytest.mark.parametrize("name", netlab.SCENARIOS)
def test_stored_lab_logs_diagnosis(name: str) -> None:
    """The same expectations on the stored copies: runs without root."""
    paths = sorted((DATA / name).glob("*.log"))
    assert paths, f"no stored logs in {DATA / name}"
    EXPECT[name](_station(diagnose(paths)))


# The capture of the authenticator's two sides (EAPOL on veth-ap, RADIUS on lo) read alone: what a wired
# capture can tell without the daemons' logs.  It cannot see why the server stays silent ("wrong-secret"),
# so there the no-reply rule ranks its hypotheses without the shared key first.
CAPTURE_EXPECT: dict[str, Callable[[dict[str, Any]], None]] = {
    **EXPECT,
    "wrong-secret": lambda station: _expect_cause(station, ("radius-no-reply",)),
}


@pytest.mark.parametrize("name", netlab.SCENARIOS)
def test_lab_capture_diagnosis(lab_runs: Callable[[str], Any], name: str) -> None:
    result = lab_runs(name)
    if result.capture is None:
        pytest.fail("dumpcap is missing: install tshark (tests/lab/PACKAGES)")
    CAPTURE_EXPECT[name](_station(diagnose([result.capture])))


@pytest.mark.parametrize("name", netlab.SCENARIOS)
def test_stored_lab_capture_diagnosis(name: str) -> None:
    CAPTURE_EXPECT[name](_station(diagnose([DATA / name / "capture.pcapng"])))


@pytest.mark.parametrize(
    "name", ["wrong-password", "radius-down", "wrong-secret", "no-supplicant", "untrusted-server-cert"]
)
def test_stored_lab_capture_and_logs_of_one_run_agree(name: str) -> None:
    """Logs and capture of the same run, read together: the logs' diagnosis, its top cause now also
    supported by the capture's frames."""
    logs = sorted((DATA / name).glob("*.log"))
    both = _station(diagnose([*logs, DATA / name / "capture.pcapng"]))
    EXPECT[name](both)
    top = both["causes"][0]
    assert any(e["source"].endswith("capture.pcapng") for e in top["evidence"]), top["evidence"]
    assert len({e["source"] for e in top["evidence"]}) >= 2


# ------------------------------------------------------------------------------------------------------
# The stored copies (tests/data/lab/<scenario>/) are real runs of the same scenarios


@pytest.mark.parametrize("name", netlab.SCENARIOS)
def test_stored_lab_logs_show_the_scenario(name: str) -> None:
    folder = DATA / name
    logs = {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.log"))}
    expected = {"hostapd", "radius"} | ({"wpa_supplicant"} if name != "no-supplicant" else set())
    assert set(logs) == expected, f"{folder}: files {sorted(logs)}"
    assert (folder / "capture.pcapng").stat().st_size > 0
    RAW_CHECKS[name](logs)
    check_no_secrets(logs)
    for which, text in logs.items():
        assert "/tmp/pytest-" not in text and not re.search(r"wdlab-[0-9a-f]{8}-", text), (
            f"{which} not sanitised"
        )


def test_stored_lab_logs_have_sources() -> None:
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    for name in netlab.SCENARIOS:
        assert f"{name}/" in sources, f"SOURCES.md does not describe {name}/"
    assert re.search(r"hostapd \d", sources) and re.search(r"wpasupplicant \d", sources)


def test_dhcp_discover_frame_is_well_formed() -> None:
    """The frame that makes hostapd's wired driver notice a host that does not speak 802.1X."""
    frame = netlab.dhcp_discover_frame(STA, 0x1234)
    assert frame[:6] == b"\xff" * 6 and frame[6:12] == bytes.fromhex(STA.replace(":", ""))
    assert frame[12:14] == b"\x08\x00"
    ip = frame[14:34]
    assert netlab._ip_checksum(ip) == 0, "IPv4 header checksum must verify to zero"
    assert int.from_bytes(ip[2:4], "big") == len(frame) - 14
    udp = frame[34:42]
    assert udp[:4] == b"\x00\x44\x00\x43"  # 68 -> 67
    bootp = frame[42:]
    assert bootp[0] == 1 and bootp[28:34] == frame[6:12], "op BOOTREQUEST, chaddr = source MAC"
    assert bootp[236:240] == b"\x63\x82\x53\x63" and bootp[240:243] == b"\x35\x01\x01", "DHCPDISCOVER"
