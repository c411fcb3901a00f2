"""Render the real WLAN AutoConfig events of ../windows/osquery-winevents-dot1x.xml in the text layouts
Windows prints them in, for the tests of the text reader: every value is the real event's; the labels and
headlines are wlansvc.dll's message templates (libyal/winevt-kb MessageFile-wlansvc.dll.md, Windows 7+
wording; the 12013 layout as a real Event Viewer paste shows it, irishemin-12013-peap-identity.txt).

    python tests/data/windows-text/render.py   # writes wevtutil-text.txt, format-list.txt, eventviewer-copy.txt
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

HERE = Path(__file__).parent
SOURCE = HERE.parent / "windows" / "osquery-winevents-dot1x.xml"
NS = "{http://schemas.microsoft.com/win/2004/08/events/event}"
IFACE = [
    ("Network Adapter", "Adapter"),
    ("Interface GUID", "DeviceGuid"),
    ("Local MAC Address", "LocalMac"),
    ("Network SSID", "SSID"),
    ("BSS Type", "BSSType"),
]
SERVICE = [
    ("Network Adapter", "InterfaceDescription"),
    ("Interface GUID", "InterfaceGuid"),
    ("Connection Mode", "ConnectionMode"),
    ("Profile Name", "ProfileName"),
    ("SSID", "SSID"),
    ("BSS Type", "BSSType"),
]
TEMPLATES = {
    "8001": (
        "WLAN AutoConfig service has successfully connected to a wireless network.",
        [
            *SERVICE,
            ("PHY Type", "PHYType"),
            ("Authentication", "AuthenticationAlgorithm"),
            ("Encryption", "CipherAlgorithm"),
            ("802.1x Enabled", "OnexEnabled"),
        ],
    ),
    "8002": (
        "WLAN AutoConfig service failed to connect to a wireless network.",
        [*SERVICE, ("Failure Reason:", "FailureReason"), ("RSSI", "RSSI")],
    ),
    "8003": (
        "WLAN AutoConfig service has successfully disconnected from a wireless network.",
        [*SERVICE, ("Reason", "Reason")],
    ),
    "12011": (
        "Wireless 802.1x authentication started.",
        [*IFACE, ("Peer MAC Address", "PeerMac"), ("EAP", "")],
    ),
    "12012": (
        "Wireless 802.1x authentication succeeded.",
        [
            *IFACE,
            ("Peer MAC Address", "PeerMac"),
            ("Identity", "Identity"),
            ("User", "User"),
            ("Domain", "Domain"),
        ],
    ),
    "12013": (
        "Wireless 802.1x authentication failed.",
        [
            *IFACE,
            ("Peer MAC Address", "PeerMac"),
            ("Identity", "Identity"),
            ("User", "User"),
            ("Domain", "Domain"),
            ("Reason", "ReasonText"),
            ("Error", "ErrorCode"),
            ("EAP Reason", "EAPReasonCode"),
            ("EAP Root cause String", "EAPRootCauseString"),
            ("EAP Error", "EAPErrorCode"),
        ],
    ),
    "12014": (
        "Wireless 802.1x authentication was restarted.",
        [*IFACE, ("Peer MAC Address", "PeerMac"), ("EAP", ""), ("Restart Reason", "RestartReason")],
    ),
}


def events() -> list[tuple[str, str, str, dict[str, str], str]]:
    text = SOURCE.read_text()
    out = []
    for m in re.finditer(r"<Event[ >].*?</Event>", text, re.S):
        root = ElementTree.fromstring(m.group())
        eid = root.find(f".//{NS}EventID").text or ""
        when = root.find(f".//{NS}TimeCreated").get("SystemTime") or ""
        computer = root.find(f".//{NS}Computer").text or ""
        data = {d.get("Name") or "": d.text or "" for d in root.iter(f"{NS}Data")}
        out.append((eid, when, computer, data, m.group()))
    return out


def message(eid: str, data: dict[str, str]) -> list[str]:
    headline, fields = TEMPLATES[eid]
    lines = [headline, ""]
    for label, name in fields:
        if label == "EAP":
            lines.append(
                f"Eap Information: Type {data.get('EapType', '')}, Vendor ID {data.get('VendorID', '')}, "
                f"Vendor Type {data.get('VendorType', '')}, Author ID {data.get('AuthorID', '')}"
            )
        elif label.endswith(":"):
            lines.append(
                f"{label}{data.get(name, '')}"
            )  # (8002: no blank after the colon, as Windows prints it)
        else:
            lines.append(f"{label}: {data.get(name, '')}")
    return lines


def local(when: str) -> str:
    t = datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", when.replace("Z", "+00:00")))
    return f"{t.month}/{t.day}/{t.year} {(t.hour % 12) or 12}:{t.minute:02d}:{t.second:02d} {'AM' if t.hour < 12 else 'PM'}"


def main() -> None:
    wevtutil, flist, viewer = [], [], []
    for i, (eid, when, computer, data, xml) in enumerate(events()):
        level = "Error" if eid in ("8002", "12013") else "Information"
        msg = message(eid, data)
        wevtutil += [
            f"Event[{i}]:",
            "  Log Name: Microsoft-Windows-WLAN-AutoConfig/Operational",
            "  Source: Microsoft-Windows-WLAN-AutoConfig",
            f"  Date: {when}",
            f"  Event ID: {eid}",
            "  Task: N/A",
            f"  Level: {level}",
            "  Opcode: Info",
            "  Keyword: N/A",
            "  User: S-1-5-18",
            "  User Name: NT AUTHORITY\\SYSTEM",
            f"  Computer: {computer}",
            "  Description: ",
            *msg,
            "",
        ]
        flist += [
            f"TimeCreated  : {local(when)}",
            "ProviderName : Microsoft-Windows-WLAN-AutoConfig",
            f"Id           : {eid}",
            f"Message      : {msg[0]}",
            *[("               " + line) if line else "" for line in msg[1:]],
            "",
        ]
        if eid in ("12013", "8002", "8001"):
            viewer += [
                "Log Name:      Microsoft-Windows-WLAN-AutoConfig/Operational",
                "Source:        Microsoft-Windows-WLAN-AutoConfig",
                f"Date:          {local(when)}",
                f"Event ID:      {eid}",
                "Task Category: None",
                f"Level:         {level}",
                "Keywords:      ",
                "User:          SYSTEM",
                f"Computer:      {computer}",
                "Description:",
                *msg,
            ]
            if eid == "8001":  # (Event Viewer's copy ends with the event's XML)
                viewer += ["Event Xml:", xml]
            viewer.append("")
    (HERE / "wevtutil-text.txt").write_text("\r\n".join(wevtutil) + "\r\n")
    (HERE / "format-list.txt").write_text("\n".join(flist) + "\n")
    (HERE / "eventviewer-copy.txt").write_text("\n".join(viewer) + "\n")


if __name__ == "__main__":
    main()
