"""A wired 802.1X lab built from real daemons in two network namespaces.

Layout (all addresses live inside namespaces this module creates and deletes)::

    netns <auth>                                   netns <sta>
    +------------------------------------+         +---------------------------+
    | freeradius -X  (127.0.0.1:1812)    |         |                           |
    |      ^ RADIUS over loopback        |         |                           |
    | hostapd -dd -t (driver=wired)      |  veth   | wpa_supplicant -D wired   |
    |      veth-ap  02:1a:b0:00:00:01 <--+---------+--> veth-sta 02:1a:b0:00:00:02|
    +------------------------------------+         +---------------------------+

hostapd is the authenticator (IEEE 802.1X on a wired port, PAE group address), FreeRADIUS is the
authentication server (PEAP/MSCHAPv2 with a throw-away CA and server certificate made with ``openssl`` at
run time) and wpa_supplicant is the station.  Nothing outside the two namespaces is touched: FreeRADIUS
runs from a copy of the packaged configuration in a temporary directory (``/etc/freeradius`` is only read).

Every wait is bounded; every process and namespace is removed by :meth:`Lab.close`, which the tests call
from a fixture finaliser, so a failing test still cleans up.

The module is also a script: ``python tests/lab/netlab.py --save tests/data/lab`` runs every scenario and
stores sanitised copies of the daemon logs for the parser tests (needs root).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

# Debian package names the lab needs; tests/lab/PACKAGES holds the same list for CI.
PACKAGES_FILE = Path(__file__).with_name("PACKAGES")
BINARIES = ("ip", "hostapd", "wpa_supplicant", "freeradius", "openssl")
FREERADIUS_CONF = Path("/etc/freeradius/3.0")

AP_IF = "veth-ap"
STA_IF = "veth-sta"
AP_MAC = "02:1a:b0:00:00:01"
STA_MAC = "02:1a:b0:00:00:02"
RADIUS_PORT = 1812
# A UDP port on the authenticator's loopback where nothing listens ("server down").
DEAD_RADIUS_PORT = 1645

# Test credentials only: they exist for the lifetime of one lab run.
LAB_USER = "labuser"
LAB_PASSWORD = "lab-Passw0rd"
WRONG_PASSWORD = "not-the-password"
LAB_SECRET = "lab-radius-secret"
WRONG_SECRET = "wrong-radius-secret"
LAB_SSID_NAS = "wlandoctor-lab"

SCENARIOS = (
    "success",
    "wrong-password",
    "radius-down",
    "wrong-secret",
    "no-supplicant",
    "untrusted-server-cert",
)


class LabUnavailable(RuntimeError):
    """The lab cannot run here (missing binary, no permission for namespaces)."""


class LabTimeout(AssertionError):
    """An expected log line did not appear in time; the message carries the log tail."""


def packages() -> list[str]:
    return PACKAGES_FILE.read_text(encoding="utf-8").split()


def missing_binaries() -> list[str]:
    search = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    return [b for b in BINARIES if shutil.which(b, path=search) is None]


def binary(name: str) -> str:
    found = shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    if found is None:
        raise LabUnavailable(f"{name} not found")
    return found


def _run(argv: list[str], timeout: float = 15.0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)


def netns_problem() -> str | None:
    """None when this process may create network namespaces, else why not."""
    if missing := [b for b in ("ip",) if b in missing_binaries()]:
        return f"missing {', '.join(missing)}"
    name = f"wdprobe{uuid.uuid4().hex[:8]}"
    res = _run([binary("ip"), "netns", "add", name])
    if res.returncode != 0:
        return f"'ip netns add' failed (root/CAP_SYS_ADMIN+CAP_NET_ADMIN needed): {res.stderr.strip()}"
    try:
        res = _run([binary("ip"), "-n", name, "link", "add", "wdp0", "type", "veth", "peer", "name", "wdp1"])
        if res.returncode != 0:
            return f"cannot create a veth pair in a namespace: {res.stderr.strip()}"
    finally:
        _run([binary("ip"), "netns", "del", name])
    return None


NETNS_DIR = Path("/run/netns")


def sweep_stale_namespaces(max_age: float = 600.0) -> list[str]:
    """Delete lab namespaces left by a run that was killed: older than ``max_age`` s and with no process.

    A run in progress is never touched: no scenario lasts ``max_age`` and a live run has processes.
    """
    removed = []
    res = _run([binary("ip"), "netns", "list"])
    for line in res.stdout.splitlines():
        name = line.split()[0] if line.strip() else ""
        if not re.fullmatch(r"wdlab-[0-9a-f]{8}-(auth|sta)", name):
            continue
        try:
            age = time.time() - (NETNS_DIR / name).stat().st_mtime
        except OSError:
            continue
        if age < max_age or _run([binary("ip"), "netns", "pids", name]).stdout.strip():
            continue
        if _run([binary("ip"), "netns", "del", name]).returncode == 0:
            removed.append(name)
    return removed


def version_of(package: str) -> str:
    res = _run(["dpkg-query", "-W", "-f=${Version}", package])
    return res.stdout.strip() if res.returncode == 0 and res.stdout.strip() else "unknown"


# --------------------------------------------------------------------------------------------------------
# Processes and logs


@dataclass
class Daemon:
    name: str
    proc: subprocess.Popen[bytes]
    log: Path

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, grace: float = 3.0) -> None:
        if self.proc.poll() is not None:
            return
        with suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                self.proc.kill()
            self.proc.wait(timeout=grace)


def read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def tail(path: Path, lines: int = 25) -> str:
    return "\n".join(read_text(path).splitlines()[-lines:])


def wait_for(
    path: Path,
    pattern: str,
    timeout: float,
    *,
    count: int = 1,
    daemon: Daemon | None = None,
) -> list[re.Match[str]]:
    """Poll ``path`` until ``pattern`` (a regex) matched ``count`` times; bounded by ``timeout`` seconds."""
    rx = re.compile(pattern, re.MULTILINE)
    deadline = time.monotonic() + timeout
    while True:
        matches = list(rx.finditer(read_text(path)))
        if len(matches) >= count:
            return matches
        if daemon is not None and not daemon.alive():
            # one last read: the line may have been written just before exit
            matches = list(rx.finditer(read_text(path)))
            if len(matches) >= count:
                return matches
            raise LabTimeout(
                f"{daemon.name} exited (code {daemon.proc.returncode}) before {pattern!r} appeared "
                f"{count}x in {path}:\n{tail(path)}"
            )
        if time.monotonic() >= deadline:
            raise LabTimeout(
                f"{pattern!r} did not appear {count}x in {path} within {timeout:.0f}s "
                f"(seen {len(matches)}x); last lines:\n{tail(path)}"
            )
        time.sleep(0.1)


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM if the test process dies (kept across ``ip netns exec``)."""
    with suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


# --------------------------------------------------------------------------------------------------------
# The lab


@dataclass
class Lab:
    """Two namespaces joined by a veth pair, plus the daemons started in them."""

    workdir: Path
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    daemons: list[Daemon] = field(default_factory=list)
    namespaces: list[str] = field(default_factory=list)

    @property
    def ns_auth(self) -> str:
        return f"wdlab-{self.tag}-auth"

    @property
    def ns_sta(self) -> str:
        return f"wdlab-{self.tag}-sta"

    # ---- set-up / tear-down

    def _ip(self, *args: str, ns: str | None = None) -> None:
        argv = [binary("ip")] + (["-n", ns] if ns else []) + list(args)
        res = _run(argv)
        if res.returncode != 0:
            raise LabUnavailable(f"{' '.join(argv)} failed: {res.stderr.strip()}")

    def open(self) -> Lab:
        self.workdir.mkdir(parents=True, exist_ok=True)
        for ns in (self.ns_auth, self.ns_sta):
            self._ip("netns", "add", ns)
            self.namespaces.append(ns)
            self._ip("link", "set", "lo", "up", ns=ns)
        # Create the pair inside the authenticator namespace and put the peer straight into the other
        # one: the fixed interface names never exist in the host namespace, so parallel runs cannot clash.
        pair = ("link", "add", AP_IF, "type", "veth", "peer", "name", STA_IF, "netns", self.ns_sta)
        self._ip(*pair, ns=self.ns_auth)
        self._ip("link", "set", AP_IF, "address", AP_MAC, ns=self.ns_auth)
        self._ip("link", "set", STA_IF, "address", STA_MAC, ns=self.ns_sta)
        self._ip("link", "set", AP_IF, "up", ns=self.ns_auth)
        self._ip("link", "set", STA_IF, "up", ns=self.ns_sta)
        return self

    def close(self) -> None:
        for d in reversed(self.daemons):
            with suppress(Exception):
                d.stop()
        for ns in reversed(self.namespaces):
            _run([binary("ip"), "netns", "del", ns])
        self.namespaces.clear()

    def __enter__(self) -> Lab:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- processes

    def start(self, name: str, ns: str, argv: list[str], log: Path, *, stdout_to_log: bool = False) -> Daemon:
        """Start ``argv`` inside ``ns``.  ``ip netns exec`` execs the program, so the pid is the daemon's."""
        out_path = log if stdout_to_log else self.workdir / f"{name}.stdout"
        out = open(out_path, "wb")  # noqa: SIM115 - handed to the child, closed below
        try:
            proc = subprocess.Popen(
                [binary("ip"), "netns", "exec", ns, *argv],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.workdir,
                preexec_fn=_die_with_parent,
            )
        finally:
            out.close()
        daemon = Daemon(name, proc, log)
        self.daemons.append(daemon)
        return daemon

    def run_in(self, ns: str, argv: list[str], timeout: float = 10.0) -> subprocess.CompletedProcess[str]:
        return _run([binary("ip"), "netns", "exec", ns, *argv], timeout=timeout)


# --------------------------------------------------------------------------------------------------------
# Certificates and configuration files


def make_certs(d: Path) -> dict[str, Path]:
    """A throw-away CA and a server certificate signed by it (RSA 2048, 1 day), and another CA that signed
    nothing (what a station trusts when its profile names the wrong CA)."""
    d.mkdir(parents=True, exist_ok=True)
    ca_key, ca_pem = d / "ca.key", d / "ca.pem"
    other_key, other_pem = d / "other-ca.key", d / "other-ca.pem"
    srv_key, srv_csr, srv_pem = d / "server.key", d / "server.csr", d / "server.pem"
    ext = d / "server.ext"
    ext.write_text(
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
        "subjectAltName=DNS:radius.lab.invalid\n",
        encoding="utf-8",
    )
    ossl = binary("openssl")
    steps = [
        [ossl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out", str(ca_pem),
         "-days", "1", "-subj", "/CN=wlandoctor lab CA", "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        [ossl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(srv_key), "-out", str(srv_csr),
         "-subj", "/CN=radius.lab.invalid"],
        [ossl, "x509", "-req", "-in", str(srv_csr), "-CA", str(ca_pem), "-CAkey", str(ca_key),
         "-CAcreateserial", "-out", str(srv_pem), "-days", "1", "-extfile", str(ext)],
        [ossl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(other_key), "-out",
         str(other_pem), "-days", "1", "-subj", "/CN=another CA", "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
    ]  # fmt: skip
    for argv in steps:
        res = _run(argv, timeout=60)
        if res.returncode != 0:
            raise LabUnavailable(f"openssl failed: {' '.join(argv[:3])}: {res.stderr.strip()}")
    return {"ca": ca_pem, "key": srv_key, "cert": srv_pem, "other_ca": other_pem}


def _sub(path: Path, pattern: str, repl: str, *, count: int = 0, required: bool = True) -> None:
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(pattern, repl, text, count=count, flags=re.MULTILINE)
    if required and n == 0:
        raise LabUnavailable(f"cannot adapt {path}: {pattern!r} not found (FreeRADIUS layout changed?)")
    path.write_text(new, encoding="utf-8")


def freeradius_config(d: Path, certs: dict[str, Path], secret: str) -> Path:
    """Copy the packaged FreeRADIUS configuration into ``d`` and adapt it; return the raddb directory."""
    if not (FREERADIUS_CONF / "radiusd.conf").is_file():
        raise LabUnavailable(f"{FREERADIUS_CONF}/radiusd.conf not found (is freeradius installed?)")
    raddb = d / "raddb"
    shutil.copytree(FREERADIUS_CONF, raddb, symlinks=True)
    logdir, rundir = d / "radius-log", d / "radius-run"
    logdir.mkdir()
    rundir.mkdir()
    conf = raddb / "radiusd.conf"
    _sub(conf, r"^(\s*)user\s*=\s*\S+", r"\1#user = (run as the caller)")
    _sub(conf, r"^(\s*)group\s*=\s*\S+", r"\1#group = (run as the caller)")
    _sub(conf, r"^logdir\s*=.*$", f"logdir = {logdir}")
    _sub(conf, r"^run_dir\s*=.*$", f"run_dir = {rundir}")
    eap = raddb / "mods-available" / "eap"
    _sub(eap, r"^(\s*)private_key_password\s*=.*$", r"\1#private_key_password =")
    _sub(eap, r"^(\s*)private_key_file\s*=.*$", rf"\1private_key_file = {certs['key']}")
    _sub(eap, r"^(\s*)certificate_file\s*=.*$", rf"\1certificate_file = {certs['cert']}")
    _sub(eap, r"^(\s*)ca_file\s*=.*$", rf"\1ca_file = {certs['ca']}")
    (raddb / "clients.conf").write_text(
        "client lab-authenticator {\n"
        "\tipaddr = 127.0.0.1\n"
        f'\tsecret = "{secret}"\n'
        "\tshortname = lab-authenticator\n"
        "\trequire_message_authenticator = no\n"
        "}\n",
        encoding="utf-8",
    )
    users = raddb / "mods-config" / "files" / "authorize"
    users.write_text(f'{LAB_USER}\tCleartext-Password := "{LAB_PASSWORD}"\n', encoding="utf-8")
    return raddb


def hostapd_config(d: Path, *, port: int, secret: str) -> Path:
    path = d / "hostapd.conf"
    path.write_text(
        "\n".join(
            [
                f"interface={AP_IF}",
                "driver=wired",
                "logger_stdout=-1",
                "logger_stdout_level=0",
                "ieee8021x=1",
                "eapol_version=2",
                "eap_reauth_period=0",
                "use_pae_group_addr=1",
                f"nas_identifier={LAB_SSID_NAS}",
                "own_ip_addr=127.0.0.1",
                "auth_server_addr=127.0.0.1",
                f"auth_server_port={port}",
                f"auth_server_shared_secret={secret}",
                "",
            ]
        ),
        encoding="utf-8",
    )
    return path


def supplicant_config(d: Path, *, password: str, ca: Path) -> Path:
    path = d / "wpa_supplicant.conf"
    path.write_text(
        "\n".join(
            [
                "ap_scan=0",
                "eapol_version=2",
                "fast_reauth=0",
                "network={",
                "\tkey_mgmt=IEEE8021X",
                "\teapol_flags=0",
                "\teap=PEAP",
                f'\tidentity="{LAB_USER}"',
                f'\tpassword="{password}"',
                f'\tca_cert="{ca}"',
                '\tphase2="auth=MSCHAPV2"',
                "}",
                "",
            ]
        ),
        encoding="utf-8",
    )
    return path


# --------------------------------------------------------------------------------------------------------
# A DHCPDISCOVER from a station that does not speak 802.1X


def dhcp_discover_frame(mac: str, xid: int) -> bytes:
    """An Ethernet/IPv4/UDP DHCPDISCOVER broadcast from ``mac`` (what a plain wired host sends first)."""
    hw = bytes.fromhex(mac.replace(":", ""))
    bootp = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, 0, 0x8000, b"\0" * 4, b"\0" * 4,
                        b"\0" * 4, b"\0" * 4, hw.ljust(16, b"\0"), b"", b"")  # fmt: skip
    options = b"\x63\x82\x53\x63" + b"\x35\x01\x01" + b"\x37\x03\x01\x03\x06" + b"\xff"
    payload = bootp + options
    udp_len = 8 + len(payload)
    udp = struct.pack("!HHHH", 68, 67, udp_len, 0) + payload  # checksum 0: not computed (allowed for IPv4)
    total = 20 + len(udp)
    ip_hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0, 0, 64, 17, 0, b"\0" * 4, b"\xff" * 4)
    csum = _ip_checksum(ip_hdr)
    ip_hdr = ip_hdr[:10] + struct.pack("!H", csum) + ip_hdr[12:]
    eth = b"\xff" * 6 + hw + b"\x08\x00"
    return eth + ip_hdr + udp


def _ip_checksum(data: bytes) -> int:
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def send_dhcp_discover(ifname: str, mac: str, count: int = 1) -> None:
    """Send DHCPDISCOVER frames on ``ifname`` (run inside the station namespace)."""
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((ifname, 0))
        for i in range(count):
            s.send(dhcp_discover_frame(mac, 0x1AB00000 + i))


# --------------------------------------------------------------------------------------------------------
# Scenarios


@dataclass
class ScenarioResult:
    name: str
    logs: dict[str, Path]  # "hostapd" / "wpa_supplicant" / "radius" -> log file (only those that ran)
    workdir: Path
    facts: dict[str, object] = field(default_factory=dict)
    capture: Path | None = None  # pcapng of veth-ap and lo, when dumpcap is installed

    def text(self, which: str) -> str:
        return read_text(self.logs[which])


# How long each wait may take, in seconds.  PEAP with a 2048-bit key completes in well under a second here;
# the limits leave room for a slow CI machine while keeping the whole lab under two minutes.
T_START = 20.0
T_AUTH = 20.0
T_RETRANS = 25.0  # two retransmissions take 3 + 6 s
CAPTURE_SETTLE = 1.5  # the capture runs this long after the daemons stopped, so no packet is left behind


def _start_radius(the_lab: Lab, raddb: Path) -> Daemon:
    log = the_lab.workdir / "radius.log"
    d = the_lab.start(
        "freeradius",
        the_lab.ns_auth,
        [binary("freeradius"), "-X", "-d", str(raddb)],
        log,
        stdout_to_log=True,
    )
    wait_for(log, r"^Ready to process requests", T_START, daemon=d)
    return d


def start_capture(
    the_lab: Lab, out: Path, interfaces: tuple[str, ...] = (AP_IF, "lo"), *, pcapng: bool = True
) -> Daemon:
    """dumpcap in the authenticator's namespace, by default on its two sides: veth-ap (EAPOL with the
    station) and lo (RADIUS with the server), into one pcapng of two interfaces; returns once dumpcap has
    written its file header (it captures from then on).  Stop it last, after CAPTURE_SETTLE."""
    dumpcap = shutil.which("dumpcap")
    if dumpcap is None:
        raise LabUnavailable("dumpcap is not installed")
    argv = [
        dumpcap,
        "-q",
        *(a for i in interfaces for a in ("-i", i)),
        *([] if pcapng else ["-P"]),
        "-w",
        str(out),
    ]
    d = the_lab.start("dumpcap", the_lab.ns_auth, argv, the_lab.workdir / "dumpcap.stdout")
    d.log = out
    header = 28 + 20 * len(interfaces) if pcapng else 24  # section and interface blocks, or pcap header
    deadline = time.monotonic() + T_START
    while not (out.exists() and out.stat().st_size >= header):
        if not d.alive() or time.monotonic() >= deadline:
            d.stop()
            raise LabTimeout(f"dumpcap did not start: {tail(the_lab.workdir / 'dumpcap.stdout')}")
        time.sleep(0.1)
    return d


def _start_hostapd(the_lab: Lab, conf: Path) -> Daemon:
    log = the_lab.workdir / "hostapd.log"
    argv = [binary("hostapd"), "-dd", "-t", "-f", str(log), str(conf)]
    d = the_lab.start("hostapd", the_lab.ns_auth, argv, log)
    wait_for(log, rf"{AP_IF}: AP-ENABLED", T_START, daemon=d)
    return d


def _start_supplicant(the_lab: Lab, conf: Path) -> Daemon:
    log = the_lab.workdir / "wpa_supplicant.log"
    argv = [binary("wpa_supplicant"), "-D", "wired", "-i", STA_IF, "-c", str(conf), "-dd", "-t"]
    argv += ["-f", str(log)]
    return the_lab.start("wpa_supplicant", the_lab.ns_sta, argv, log)


def prepare(name: str, workdir: Path) -> dict[str, Path]:
    """Write the certificates and the three daemons' configurations for scenario ``name``."""
    if name not in SCENARIOS:
        raise ValueError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")
    workdir.mkdir(parents=True, exist_ok=True)
    certs = make_certs(workdir / "certs")
    # FreeRADIUS knows the authenticator by a different secret in "wrong-secret".
    radius_secret = WRONG_SECRET if name == "wrong-secret" else LAB_SECRET
    raddb = freeradius_config(workdir, certs, radius_secret)
    # In "radius-down" hostapd asks a port of the server's host where nothing listens.
    port = DEAD_RADIUS_PORT if name == "radius-down" else RADIUS_PORT
    password = WRONG_PASSWORD if name == "wrong-password" else LAB_PASSWORD
    return {
        "raddb": raddb,
        "hostapd": hostapd_config(workdir, port=port, secret=LAB_SECRET),
        # In "untrusted-server-cert" the station's profile names a CA that did not sign the server's certificate.
        "wpa_supplicant": supplicant_config(
            workdir, password=password, ca=certs["other_ca" if name == "untrusted-server-cert" else "ca"]
        ),
    }


def run_scenario(name: str, the_lab: Lab, *, record: bool = True) -> ScenarioResult:
    """Run one scenario in an opened lab and return where its logs are, and its capture when ``record``
    and dumpcap is installed.

    Raises LabTimeout when an expected line does not show up in time.  The daemons are stopped before this
    returns (so every log is complete); the namespaces stay until ``the_lab.close()``.
    """
    conf = prepare(name, the_lab.workdir)
    logs: dict[str, Path] = {}
    facts: dict[str, object] = {}
    # The server runs in every scenario (in "radius-down" hostapd is pointed at a port it does not serve).
    radius = _start_radius(the_lab, conf["raddb"])
    logs["radius"] = radius.log
    capture = None
    if record and shutil.which("dumpcap"):
        capture = start_capture(the_lab, the_lab.workdir / "capture.pcapng")
    hostapd = _start_hostapd(the_lab, conf["hostapd"])
    logs["hostapd"] = hostapd.log
    started = time.monotonic()
    try:
        if name == "no-supplicant":
            _no_supplicant(the_lab, hostapd)
        else:
            sta = _start_supplicant(the_lab, conf["wpa_supplicant"])
            logs["wpa_supplicant"] = sta.log
            _SCENARIO_WAITS[name](hostapd, sta, radius)
        facts["seconds"] = round(time.monotonic() - started, 1)
    finally:
        # Stop cleanly (SIGTERM) so every log is flushed and complete before anyone reads it; the capture
        # last, once the kernel has handed it the last packets (libpcap delivers them in timed blocks).
        for d in reversed(the_lab.daemons):
            if d is not capture:
                d.stop()
        if capture is not None:
            time.sleep(CAPTURE_SETTLE)
            capture.stop()
    result = ScenarioResult(name, logs, the_lab.workdir, facts)
    if capture is not None:
        result.capture = capture.log
    return result


def _success(hostapd: Daemon, sta: Daemon, radius: Daemon) -> None:
    wait_for(sta.log, r"CTRL-EVENT-EAP-SUCCESS", T_AUTH, daemon=sta)
    wait_for(hostapd.log, rf"{STA_MAC} IEEE 802\.1X: authorizing port", T_AUTH, daemon=hostapd)
    wait_for(radius.log, r"Sent Access-Accept", T_AUTH, daemon=radius)


def _wrong_password(hostapd: Daemon, sta: Daemon, radius: Daemon) -> None:
    wait_for(radius.log, r"Sent Access-Reject", T_AUTH, daemon=radius)
    wait_for(sta.log, r"CTRL-EVENT-EAP-FAILURE", T_AUTH, daemon=sta)
    wait_for(hostapd.log, r"RADIUS message: code=3 \(Access-Reject\)", T_AUTH, daemon=hostapd)


def _untrusted_server_cert(hostapd: Daemon, sta: Daemon, radius: Daemon) -> None:
    # The station checks the server's chain against the CA its profile names, refuses it (unknown CA) and
    # ends the TLS handshake with an alert; the server fails the EAP session.
    wait_for(sta.log, r"CTRL-EVENT-EAP-TLS-CERT-ERROR", T_AUTH, daemon=sta)
    wait_for(radius.log, r"Sent Access-Reject", T_AUTH, daemon=radius)
    wait_for(sta.log, r"CTRL-EVENT-EAP-FAILURE", T_AUTH, daemon=sta)


def _radius_down(hostapd: Daemon, sta: Daemon, radius: Daemon) -> None:
    # The first Access-Request goes out, then hostapd retransmits it (after 3 s, then 6 s): no reply ever.
    wait_for(hostapd.log, r"Sending RADIUS message to authentication server", T_AUTH, daemon=hostapd)
    wait_for(hostapd.log, r"Resending RADIUS message", T_RETRANS, count=2, daemon=hostapd)


def _wrong_secret(hostapd: Daemon, sta: Daemon, radius: Daemon) -> None:
    # FreeRADIUS checks the Message-Authenticator with its secret, drops the request and never answers;
    # hostapd sees silence and retransmits.
    wait_for(radius.log, r"invalid Message-Authenticator", T_AUTH, daemon=radius)
    wait_for(hostapd.log, r"Resending RADIUS message", T_RETRANS, count=2, daemon=hostapd)
    wait_for(radius.log, r"invalid Message-Authenticator", T_AUTH, count=3, daemon=radius)


def _no_supplicant(the_lab: Lab, hostapd: Daemon) -> None:
    # A host that does not speak 802.1X shows up on the port with plain traffic (DHCP); hostapd's wired
    # driver learns it from that and starts 802.1X: EAP-Request/Identity, retransmitted, never answered.
    here = Path(__file__).resolve()
    res = the_lab.run_in(the_lab.ns_sta, [sys.executable, str(here), "--dhcp-discover", STA_IF, STA_MAC])
    if res.returncode != 0:
        raise LabUnavailable(f"could not send DHCPDISCOVER in {the_lab.ns_sta}: {res.stderr.strip()}")
    wait_for(hostapd.log, r"CTRL-EVENT-EAP-STARTED", T_AUTH, daemon=hostapd)
    # EAP-Request/Identity at t=0, retransmitted at 3 s and 9 s (RFC 3748 back-off), never answered.
    wait_for(hostapd.log, r"CTRL-EVENT-EAP-RETRANSMIT", T_RETRANS, count=2, daemon=hostapd)


_SCENARIO_WAITS = {
    "success": _success,
    "wrong-password": _wrong_password,
    "radius-down": _radius_down,
    "wrong-secret": _wrong_secret,
    "untrusted-server-cert": _untrusted_server_cert,
}


# --------------------------------------------------------------------------------------------------------
# Sanitised copies for the parser tests


def sanitize_log(text: str, workdir: Path) -> str:
    """Make a captured log safe and stable to store: temporary paths and namespace tags replaced."""
    text = text.replace(str(workdir), "/tmp/wdlab")
    text = re.sub(r"wdlab-[0-9a-f]{8}-", "wdlab-", text)
    text = text.replace(LAB_SECRET, "[radius-secret]").replace(WRONG_SECRET, "[wrong-radius-secret]")
    return text


def save(result: ScenarioResult, dest: Path) -> list[Path]:
    out = dest / result.name
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for which, path in result.logs.items():
        target = out / f"{which}.log"
        target.write_text(sanitize_log(read_text(path), result.workdir), encoding="utf-8")
        written.append(target)
    if result.capture is not None and result.capture.exists():
        target = out / "capture.pcapng"
        shutil.copyfile(result.capture, target)  # (no path or secret of the run in it: packets only)
        written.append(target)
    return written


SCENARIO_NOTES = {
    "success": "PEAP/MSCHAPv2 with the right password: Access-Accept, EAP-Success, port authorized.",
    "wrong-password": "PEAP/MSCHAPv2 with a wrong password: MS-CHAP2-Response incorrect, Access-Reject, "
    "EAP-Failure.",
    "radius-down": f"hostapd points at 127.0.0.1:{DEAD_RADIUS_PORT} where nothing listens: Access-Request "
    "retransmitted, ICMP port unreachable ('Connection refused'), no reply.",
    "wrong-secret": "FreeRADIUS knows the authenticator with another shared secret: it drops every "
    "Access-Request ('invalid Message-Authenticator'), hostapd retransmits, no reply.",
    "no-supplicant": "The host does not speak 802.1X (no wpa_supplicant); it sends a DHCPDISCOVER, hostapd "
    "sends EAP-Request/Identity and retransmits it, never answered.",
    "untrusted-server-cert": "The station's profile names another CA than the one that signed the server's "
    "certificate: wpa_supplicant refuses the chain (CTRL-EVENT-EAP-TLS-CERT-ERROR, TLS alert unknown CA), "
    "FreeRADIUS fails the session, Access-Reject, EAP-Failure.",
}


def write_sources(dest: Path, names: list[str]) -> Path:
    versions = {p: version_of(p) for p in ("hostapd", "wpasupplicant", "freeradius", "iproute2", "openssl")}
    lines = [
        "# Lab logs: real hostapd, wpa_supplicant and FreeRADIUS runs",
        "",
        "Generated by tests/lab (`python tests/lab/netlab.py --save tests/data/lab`, as root) with Debian "
        f"hostapd {versions['hostapd']}, wpasupplicant {versions['wpasupplicant']}, "
        f"freeradius {versions['freeradius']}, iproute2 {versions['iproute2']} and openssl {versions['openssl']}.",
        "",
        "Wired IEEE 802.1X between two network namespaces joined by a veth pair: hostapd (`driver=wired`, "
        "`ieee8021x=1`, `use_pae_group_addr=1`, `eap_reauth_period=0`, `hostapd -dd -t -f hostapd.log`) "
        "is the authenticator on `veth-ap` "
        f"({AP_MAC}); FreeRADIUS (`freeradius -X`, stock Debian configuration copied to a temporary "
        "directory, own clients.conf and users file, throw-away CA made with openssl) answers on "
        "127.0.0.1:1812 in the authenticator's namespace; wpa_supplicant (`-D wired -dd -t -f "
        "wpa_supplicant.log`, `ap_scan=0`, `key_mgmt=IEEE8021X`, PEAP/MSCHAPv2) runs on `veth-sta` "
        f"({STA_MAC}).",
        "",
        "Files per scenario: `hostapd.log`, `wpa_supplicant.log` (absent where no supplicant runs), "
        "`radius.log` (FreeRADIUS `-X` output; it has no timestamps) and `capture.pcapng` (dumpcap in the "
        "authenticator's namespace on `veth-ap` and `lo`, one pcapng of two Ethernet interfaces: the EAPOL "
        "frames with the station and the RADIUS exchange with the server, of the same run as the logs; the "
        "PEAP password only travels inside the TLS tunnel).",
        "",
        "| folder | what happened |",
        "| --- | --- |",
    ]
    lines += [f"| `{n}/` | {SCENARIO_NOTES[n]} |" for n in names]
    lines += [
        "",
        "Sanitised: the temporary directory is shown as `/tmp/wdlab`, namespace names lose their random tag, "
        "the RADIUS shared secrets would be replaced by `[radius-secret]` (the daemons do not print them). "
        f"The account is a test account (`{LAB_USER}`); its password does not appear in the logs.",
        "",
        "Licence: output of this project's own test lab, under the project's licence (MIT).  The programs "
        "that wrote it are hostap (BSD-3-Clause) and FreeRADIUS (GPL-2.0); no code of theirs is included.",
        "",
    ]
    path = dest / "SOURCES.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--save", type=Path, help="run the scenarios, store sanitised logs here")
    ap.add_argument("--scenario", action="append", choices=SCENARIOS, help="only these scenarios")
    ap.add_argument("--dhcp-discover", nargs=2, metavar=("IFNAME", "MAC"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.dhcp_discover:
        send_dhcp_discover(args.dhcp_discover[0], args.dhcp_discover[1])
        return 0
    if args.save is None:
        ap.error("nothing to do: give --save DIR")
    missing = missing_binaries()
    if problem := (f"missing {', '.join(missing)}" if missing else netns_problem()):
        print(f"the lab cannot run here: {problem}", file=sys.stderr)
        return 2
    for name in args.scenario or SCENARIOS:
        with tempfile.TemporaryDirectory(prefix=f"wdlab-{name}-") as tmp, Lab(Path(tmp)) as the_lab:
            result = run_scenario(name, the_lab)
            for path in save(result, args.save):
                print(f"{name}: {path} ({result.facts['seconds']}s)")
    print(write_sources(args.save, list(args.scenario or SCENARIOS)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
