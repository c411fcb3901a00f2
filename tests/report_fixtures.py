"""Realistic ``Report`` objects for the reporter tests.

The founding case is Huawei's published case study "A STA Fails to Go Online Because It Fails to
Negotiate with an AP Using a Cached PMK" (EDOC1000060368,
https://support.huawei.com/enterprise/en/doc/EDOC1000060368/bad51c46/case-study-a-sta-fails-to-go-online-because-it-fails-to-negotiate-with-an-ap-using-a-cached-pmk).
Its page pastes the ``display station online-fail-record`` table flattened onto one line (line 10 of the
stored copy, called case.txt here) and the ``station-trace`` records flattened onto another (line 12); the
record texts below are quoted from it verbatim, one event per ``<7>`` record.  The station id is masked
(``yyyy-yyyy-yyyy``) by the source.

A second, hostile source (``ap.log``) carries text that must never be interpreted by any renderer: an HTML
script tag, rich markup, an escape sequence (already made visible by ``sources.lines.sanitize``) and a
run of backticks.  A healthy station and an incomplete one complete the picture.
"""

from __future__ import annotations

from wlandoctor.model import (
    Attempt,
    Cause,
    Diagnosis,
    Event,
    Evidence,
    InputSummary,
    Outcome,
    Problem,
    Report,
    SourceRef,
    Stage,
    StationTimeline,
)
from wlandoctor.sources.lines import sanitize
from wlandoctor.util.times import HUAWEI_DEBUG_TIME, parse_debug_time

CASE = "case.txt"
APLOG = "ap.log"
STATION = "yyyy-yyyy-yyyy"
HEALTHY = "aa:bb:cc:dd:ee:01"
STALLED = "00:11:22:33:44:55"

ONLINE_FAIL_RECORD = (
    "yyyy-yyyy-yyyy AP 19 18F-AP02 2/1 2021-03-05/17:41:56 "
    "The key is incorrect or the STA uses the cached PMK."
)
MIC_WRONG = (
    "Mar 05 2021 18:06:10.270.10 AP01 WSRV/7/BTRACE:(BTRACE)(WLAN_AP)(yyyy-yyyy-yyyy):[WPA] MIC is wrong. "
    "It will try to retransfer msg1/4. AuthType = 6 & Retransfer-Num = 0"
)
M2_MIC_WRONG = (
    "Mar 05 2021 18:06:10.270.11 AP01 WSRV/7/BTRACE:(BTRACE)(WLAN_AP)(yyyy-yyyy-yyyy):[WPA] "
    "EAPOL-Key (message2/4) packet's MIC is wrong"
)
HANDSHAKE_RESULT = (
    "Mar 05 2021 18:06:10.270.13 AP01 WSRV/7/BTRACE:(BTRACE)(WLAN_AP)(yyyy-yyyy-yyyy):server : notify "
    "handshake result : IsPtkRekey = 0 keyBitMap(0x1:ptk,0x2:gtk) = 0x1 result(0:success,1:fail) = 2"
)

# (record text as published, kind, stage) in the order of the trace on line 12
TRACE: list[tuple[str, str, Stage]] = [
    (
        "Mar 05 2021 18:06:10.270.3 AP01 WIFI/7/BTRACE:[BTRACE][WLAN_WIFI][yyyy-yyyy-yyyy]:SeqNo[4264] "
        "[EAPOL] EAPOL key handshake 1/4 payload[117] elapsed[0 ms] Success to send pkt to air",
        "eapol.m1.sent",
        Stage.FOURWAY,
    ),
    (
        "Mar 05 2021 18:06:10.270.4 AP01 WIFI/7/BTRACE:[BTRACE][WLAN_WIFI][yyyy-yyyy-yyyy]:SeqNo[4265] "
        "[EAPOL] EAPOL key handshake 2/4 payload[117] Recved from target",
        "eapol.m2.received",
        Stage.FOURWAY,
    ),
    (MIC_WRONG, "eapol.m2.mic_failure", Stage.FOURWAY),
    (M2_MIC_WRONG, "eapol.m2.mic_failure", Stage.FOURWAY),
    (HANDSHAKE_RESULT, "handshake.failed", Stage.FOURWAY),
    (
        "Mar 05 2021 18:06:10.270.14 AP01 WSRV/7/BTRACE:(BTRACE)(WLAN_AP)(yyyy-yyyy-yyyy):AC delete the "
        "station: radio id :1 wlan id :1 op type :The WMP deletes the STA[5]",
        "sta.deleted",
        Stage.ASSOCIATION,
    ),
    (
        "Mar 05 2021 18:06:10.290.3 AP01 WSRV/7/BTRACE:(BTRACE)(WLAN_AP)(yyyy-yyyy-yyyy):"
        "WUAMK_AssocreqCallChainHandle[966]: Enter: radio id :1 wlan id :0 packet type :disassociation "
        "result :0 reason :The WMP deletes the STA (0x2000005) sta ability :0 SFN roam :0 SNR :37",
        "sta.disassoc",
        Stage.ASSOCIATION,
    ),
]

# What an attacker-controlled log line may hold, after sanitize() made the escape visible.
HOSTILE_RAW = (
    "hostapd: wlan0: STA yyyy-yyyy-yyyy <script>alert(1)</script> [bold]x[/] "
    "\x1b[31mred ```` ``` <img src=http://evil.example/x.png> `|` | cell"
)
HOSTILE = sanitize(HOSTILE_RAW)
HOSTILE_SSID = 'corp"><script>alert(2)</script>'
HOSTILE_AP = "[link=http://evil.example]AP-3[/link]"

UNICODE_SSID = "Café-办公室"
PASSPHRASE = "Tr0ub4dor&3-horse"


def _time(text: str) -> float:
    m = HUAWEI_DEBUG_TIME.search(text)
    assert m is not None, text
    t = parse_debug_time(m)
    assert t is not None, text
    return t


def _founding_timeline() -> StationTimeline:
    events: list[Event] = []
    for seq, (text, kind, stage) in enumerate(TRACE):
        events.append(
            Event(
                kind=kind,
                station=STATION,
                stage=stage,
                ref=SourceRef(CASE, 12, sanitize(text)),
                time=_time(text),
                seq=seq,
                ap="AP01",
                radio=1,
                wlan=1,
                attrs={"seqno": 4265} if kind == "eapol.m2.received" else {},
            )
        )
    # The hostile source: an AP log line about the same station, with binary and set attributes.
    events.append(
        Event(
            kind="key.mismatch.summary",
            station=STATION,
            stage=Stage.FOURWAY,
            ref=SourceRef(APLOG, 7, HOSTILE),
            time=_time(TRACE[-1][0]) + 0.5,
            seq=0,
            ap=HOSTILE_AP,
            ssid=HOSTILE_SSID,
            attrs={"anonce": bytes.fromhex("00ff10ab"), "flags": {"mic", "ack"}, "nested": {"t": (1, 2)}},
        )
    )
    # The online-fail record describes this failing attempt.
    events.append(
        Event(
            kind="online_fail.record",
            station=STATION,
            stage=Stage.ASSOCIATION,
            ref=SourceRef(CASE, 10, ONLINE_FAIL_RECORD),
            time=None,
            ap="18F-AP02",
            radio=2,
            wlan=1,
            attrs={"reason_text": "The key is incorrect or the STA uses the cached PMK."},
        )
    )
    attempt = Attempt(
        number=1,
        events=events,
        outcome=Outcome.FAILED,
        reached=Stage.FOURWAY,
        failed_stage=Stage.FOURWAY,
        dropped_events=3,
    )
    return StationTimeline(
        station=STATION,
        attempts=[attempt],
        ssids={HOSTILE_SSID},
        aps={"AP01", "18F-AP02", HOSTILE_AP},
        sources={CASE, APLOG},
    )


def _founding_causes() -> list[Cause]:
    record = Evidence(CASE, 10, ONLINE_FAIL_RECORD, "online_fail.record")
    mic = Evidence(CASE, 12, sanitize(MIC_WRONG), "eapol.m2.mic_failure")
    m2 = Evidence(CASE, 12, sanitize(M2_MIC_WRONG), "eapol.m2.mic_failure")
    return [
        Cause(
            id="4way-m2-mic-mismatch/stale-cached-key",
            rule="4way-m2-mic-mismatch",
            title="The station used a stale cached key (PMK) that no longer matches the WLAN's",
            stage=Stage.FOURWAY,
            confidence=0.7249,
            why_confidence=[
                "the AP received message 2/4 and its MIC was wrong: the station derived a different key",
                "the online-fail record says 'The key is incorrect or the STA uses the cached PMK.'",
                "no other station on this WLAN failed the handshake in these logs",
            ],
            explanation=(
                "A wrong MIC in message 2/4 means the station computed its PTK from another PMK than the AP. "
                "Stations that rejoin with a saved profile reuse the cached key after the passphrase changed."
            ),
            fix=[
                "On the station, forget the network (delete the saved profile / keychain entry).",
                "Rejoin the SSID and type the current passphrase.",
                "If several stations fail after a passphrase change, tell users to forget the network.",
            ],
            confirm=[
                "Capture the handshake and run the key check with the old and the new passphrase.",
                "Check whether other stations on the same WLAN complete the 4-way handshake.",
            ],
            evidence=[mic, m2, record],
            references=["Huawei EDOC1000060368: cached PMK case study"],
            attempt=1,
            extra={
                "seen_by": [CASE, APLOG],
                "proof": {
                    "verdict": "match",
                    "candidate": "old passphrase (before the change)",
                    "detail": "the MIC of message 2/4 verifies with the PMK of the old passphrase",
                    "frames": [3, 4],
                },
            },
        ),
        Cause(
            id="4way-m2-mic-mismatch/mistyped-passphrase",
            rule="4way-m2-mic-mismatch",
            title="The passphrase typed on the station is wrong",
            stage=Stage.FOURWAY,
            confidence=0.2,
            why_confidence=["the same MIC failure follows from a mistyped passphrase"],
            explanation="A mistyped passphrase gives a different PMK, hence a wrong MIC in message 2/4.",
            fix=["Re-enter the passphrase on the station, checking case and keyboard layout."],
            confirm=["Connect another device with the same passphrase."],
            evidence=[m2],
            attempt=1,
        ),
        Cause(
            id="4way-m2-mic-mismatch/ap-ac-key-mismatch",
            rule="4way-m2-mic-mismatch",
            title="The AP holds another key than the controller configured",
            stage=Stage.FOURWAY,
            confidence=0.08,
            why_confidence=["rare; only when the AP did not receive the new security profile"],
            explanation="After a configuration change the AP may keep the old key until it resyncs.",
            fix=["Check the security profile on the AP and re-deliver the configuration."],
            confirm=["See whether any station joins this AP with the current passphrase."],
            evidence=[Evidence(APLOG, 7, HOSTILE, "key.mismatch.summary")],
            attempt=1,
            extra={
                "proof": {"verdict": "cannot-check-offline", "candidate": None, "detail": "", "frames": []}
            },
        ),
    ]


def _healthy() -> Diagnosis:
    t0 = 1614967570.0  # 2021-03-05 18:06:10 UTC
    # hostapd syslog wording (hostap src/ap/wpa_auth.c, ieee802_11.c); dnsmasq for DHCP.
    mac = HEALTHY
    steps = [
        ("auth.response", Stage.AUTH_80211, f"hostapd: wlan0: STA {mac} IEEE 802.11: authenticated"),
        ("assoc.response", Stage.ASSOCIATION, f"hostapd: wlan0: STA {mac} IEEE 802.11: associated (aid 1)"),
        (
            "eapol.m1.sent",
            Stage.FOURWAY,
            f"hostapd: wlan0: STA {mac} WPA: sending 1/4 msg of 4-Way Handshake",
        ),
        (
            "eapol.m2.received",
            Stage.FOURWAY,
            f"hostapd: wlan0: STA {mac} WPA: received EAPOL-Key frame (2/4 Pairwise)",
        ),
        (
            "eapol.m3.sent",
            Stage.FOURWAY,
            f"hostapd: wlan0: STA {mac} WPA: sending 3/4 msg of 4-Way Handshake",
        ),
        (
            "eapol.m4.received",
            Stage.FOURWAY,
            f"hostapd: wlan0: STA {mac} WPA: received EAPOL-Key frame (4/4 Pairwise)",
        ),
        (
            "handshake.success",
            Stage.FOURWAY,
            f"hostapd: wlan0: STA {mac} WPA: pairwise key handshake completed (RSN)",
        ),
        ("dhcp.ack", Stage.DHCP, f"dnsmasq-dhcp[812]: DHCPACK(wlan0) 192.168.4.23 {mac} laptop"),
        ("sta.online", Stage.ONLINE, f"hostapd: wlan0: AP-STA-CONNECTED {mac}"),
    ]
    events = [
        Event(
            kind=kind,
            station=HEALTHY,
            stage=stage,
            ref=SourceRef(APLOG, 20 + i, text),
            time=t0 + i * 0.01,
            ap="AP02",
            ssid="corp",
        )
        for i, (kind, stage, text) in enumerate(steps)
    ]
    attempt = Attempt(1, events, Outcome.ONLINE, reached=Stage.ONLINE)
    timeline = StationTimeline(HEALTHY, [attempt], ssids={"corp"}, aps={"AP02"}, sources={APLOG})
    return Diagnosis(HEALTHY, Outcome.ONLINE, None, timeline)


def _stalled() -> Diagnosis:
    ev = Event(
        kind="assoc.response",
        station=STALLED,
        stage=Stage.ASSOCIATION,
        ref=SourceRef(APLOG, 40, f"hostapd: wlan0: STA {STALLED} IEEE 802.11: associated (aid 3)"),
        time=1614967580.0,
        ap="AP02",
        ssid=UNICODE_SSID,
    )
    attempt = Attempt(1, [ev], Outcome.INCOMPLETE, reached=Stage.ASSOCIATION)
    timeline = StationTimeline(STALLED, [attempt], ssids={UNICODE_SSID}, aps={"AP02"}, sources={APLOG})
    return Diagnosis(STALLED, Outcome.INCOMPLETE, None, timeline)


def inputs() -> list[InputSummary]:
    case = InputSummary(
        CASE,
        "huawei",
        records=21,
        skipped=9,
        problems=[
            Problem(3, "unrecognised table row"),
            Problem(0, "no timestamps; events kept in file order"),
        ],
    )
    aplog = InputSummary(APLOG, "hostapd", records=12, skipped=30)
    for i in range(14):
        aplog.problems.append(Problem(100 + i, f"line {100 + i} is not a hostapd record <b>{i}</b>"))
    aplog.problems_dropped = 5
    return [case, aplog]


def founding_report(**extra: object) -> Report:
    """The founding case, a healthy station and a stalled one, with a fixed generation time."""
    founding = Diagnosis(STATION, Outcome.FAILED, Stage.FOURWAY, _founding_timeline(), _founding_causes())
    return Report(
        inputs=inputs(),
        diagnoses=[founding, _healthy(), _stalled()],
        extra={"generated": 1764115200.0, **extra},  # 2025-11-26T00:00:00Z
    )


def healthy_only_report() -> Report:
    return Report(inputs=inputs()[:1], diagnoses=[_healthy()], extra={"generated": 1764115200.0})


def secret_report() -> Report:
    """The founding case with a passphrase leaked into log text, a cause, an attribute and a proof."""
    report = founding_report(redact=[PASSPHRASE])
    d = report.diagnoses[0]
    attempt = d.timeline.attempts[0]
    attempt.events.append(
        Event(
            kind="key.mismatch.summary",
            station=STATION,
            stage=Stage.FOURWAY,
            ref=SourceRef(APLOG, 9, f"wpa_supplicant: psk={PASSPHRASE} (debug dump)"),
            time=None,
            attrs={"psk": PASSPHRASE, PASSPHRASE: b"\x01"},
        )
    )
    d.timeline.ssids.add(f"lab-{PASSPHRASE}")
    top = d.causes[0]
    top.evidence.append(
        Evidence(APLOG, 9, f"wpa_supplicant: psk={PASSPHRASE} (debug dump)", "key.mismatch.summary")
    )
    top.explanation += f" The station tried '{PASSPHRASE}'."
    top.extra["proof"] = {
        "verdict": "match",
        "candidate": PASSPHRASE,
        "detail": f"PMK({PASSPHRASE})",
        "frames": [4],
    }
    report.inputs[0].problems.append(Problem(11, f"odd token {PASSPHRASE}"))
    return report


def rendered(report: Report, formats: tuple[str, ...] | None = None, events: bool = True) -> dict[str, str]:
    """The report as each format writes it (``formats``: all by default), made at a fixed time; the text
    report with every station in full at 120 columns."""
    import io

    from rich.console import Console

    from wlandoctor.report import FORMATS, render

    report.extra["generated"] = 0
    out = {}
    for fmt in formats or FORMATS:
        buf = io.StringIO()
        if fmt == "text":
            render(report, fmt, Console(file=buf, width=120, no_color=True, highlight=False), details=True)
        else:
            render(report, fmt, buf, events=events)
        out[fmt] = buf.getvalue()
    return out
