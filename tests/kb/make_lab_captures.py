"""Record the wired 802.1X lab (tests/lab/netlab.py) with dumpcap: real Ethernet captures for tests/kb.

Run as root where network namespaces work: ``python tests/kb/make_lab_captures.py``.  The lab's own
daemons (hostapd with the wired driver, wpa_supplicant, FreeRADIUS) run exactly as netlab.py sets them up;
dumpcap records the authenticator's port (veth-ap).  Three captures are written:

- ``eap-failure/trigger-2.pcap``: PEAP/MSCHAPv2 with a wrong password (netlab scenario "wrong-password"):
  EAPOL-Start, EAP exchange (the password only ever travels inside the TLS tunnel), EAP-Failure.  hostapd
  runs with ``use_pae_group_addr=0`` here, so it addresses its EAP frames to the station's MAC.
- ``eap-failure/trigger-3.pcap``: the same with netlab's own ``use_pae_group_addr=1``: hostapd sends its EAP
  frames to the PAE group address 01:80:c2:00:00:03, which the capture parser attributes to the supplicant
  on the port.
- ``dhcp-no-offer/trigger-4.pcap``: the "success" scenario (EAP-Success, port authorized; unicast EAP as in
  trigger-2), after which the station sends three DHCPDISCOVERs (netlab's own DHCPDISCOVER frame, sent 2 s
  apart) and no DHCP server answers: the lab has none.

Nothing is edited after recording.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
LAB = HERE.parent / "lab"
sys.path.insert(0, str(LAB))

import netlab  # noqa: E402


def _record(the_lab: netlab.Lab, out: Path) -> netlab.Daemon:
    return netlab.start_capture(the_lab, out, (netlab.AP_IF,), pcapng=False)  # the station's port only


def _unicast_eap() -> None:
    """hostapd addresses EAP frames to the station's MAC instead of the PAE group address."""
    original = netlab.hostapd_config

    def config(d: Path, *, port: int, secret: str) -> Path:
        path = original(d, port=port, secret=secret)
        text = path.read_text("utf-8")
        assert "use_pae_group_addr=1" in text
        path.write_text(text.replace("use_pae_group_addr=1", "use_pae_group_addr=0"), "utf-8")
        return path

    netlab.hostapd_config = config


def wrong_password(dest: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="wdlab-cap-") as tmp, netlab.Lab(Path(tmp)) as the_lab:
        raw = Path(tmp) / "capture.pcap"
        _record(the_lab, raw)
        netlab.run_scenario("wrong-password", the_lab, record=False)  # stops every daemon, dumpcap included
        shutil.copyfile(raw, dest)
    print(dest, dest.stat().st_size, "bytes")


def success_then_dhcp(dest: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="wdlab-cap-") as tmp, netlab.Lab(Path(tmp)) as the_lab:
        raw = Path(tmp) / "capture.pcap"
        _record(the_lab, raw)
        conf = netlab.prepare("success", the_lab.workdir)
        try:
            radius = netlab._start_radius(the_lab, conf["raddb"])
            hostapd = netlab._start_hostapd(the_lab, conf["hostapd"])
            sta = netlab._start_supplicant(the_lab, conf["wpa_supplicant"])
            netlab._success(hostapd, sta, radius)
            for _ in range(3):
                time.sleep(2.0)
                res = the_lab.run_in(
                    the_lab.ns_sta,
                    [
                        sys.executable,
                        str(LAB / "netlab.py"),
                        "--dhcp-discover",
                        netlab.STA_IF,
                        netlab.STA_MAC,
                    ],
                )
                if res.returncode != 0:
                    raise SystemExit(f"DHCPDISCOVER failed: {res.stderr.strip()}")
            time.sleep(2.0)
        finally:
            for d in reversed(the_lab.daemons):
                d.stop()
        shutil.copyfile(raw, dest)
    print(dest, dest.stat().st_size, "bytes")


def main() -> int:
    missing = netlab.missing_binaries() + ([] if shutil.which("dumpcap") else ["dumpcap"])
    if problem := (f"missing {', '.join(missing)}" if missing else netlab.netns_problem()):
        print(f"the lab cannot run here: {problem}", file=sys.stderr)
        return 2
    wrong_password(HERE / "eap-failure" / "trigger-3.pcap")
    _unicast_eap()
    wrong_password(HERE / "eap-failure" / "trigger-2.pcap")
    success_then_dhcp(HERE / "dhcp-no-offer" / "trigger-4.pcap")
    return 0


if __name__ == "__main__":
    sys.exit(main())
