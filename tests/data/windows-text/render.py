"""Render the real WLAN AutoConfig events of ../windows/osquery-winevents-dot1x.xml in the text layouts
Windows prints them in, for the tests of the text reader: every value is the real event's; the labels and
headlines are wlansvc.dll's message templates (libyal/winevt-kb MessageFile-wlansvc.dll.md, Windows 7+
wording; the 12013 layout as a real Event Viewer paste shows it, irishemin-12013-peap-identity.txt).

    python tests/data/windows-text/render.py   # writes wevtutil-text.txt, format-list.txt, eventviewer-copy.txt,
                                               # ../windows-csv/export-csv-ps51.csv, export-csv-usculture-de.csv
"""

from __future__ import annotations

import csv
import io
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


# Get-WinEvent's EventLogRecord properties in the order Export-Csv writes them (Windows PowerShell 5.1)
CSV_COLUMNS = [
    "Message",
    "Id",
    "Version",
    "Qualifiers",
    "Level",
    "Task",
    "Opcode",
    "Keywords",
    "RecordId",
    "ProviderName",
    "ProviderId",
    "LogName",
    "ProcessId",
    "ThreadId",
    "MachineName",
    "UserId",
    "TimeCreated",
    "ActivityId",
    "RelatedActivityId",
    "ContainerLog",
    "MatchedQueryIds",
    "Bookmark",
    "LevelDisplayName",
    "OpcodeDisplayName",
    "TaskDisplayName",
    "KeywordsDisplayNames",
    "Properties",
]


def csv_rows(xml: str, eid: str, when: str, computer: str, msg: list[str]) -> dict[str, str]:
    """One event as Export-Csv writes it: its properties, the nested objects as their type names."""
    root = ElementTree.fromstring(xml)

    def system(tag: str, attr: str | None = None) -> str:
        el = root.find(f".//{NS}{tag}")
        if el is None:
            return ""
        return (el.get(attr) or "") if attr else (el.text or "")

    level = system("Level")
    keywords = int(system("Keywords") or "0", 16)
    return {
        "Message": "\r\n".join(msg),
        "Id": eid,
        "Version": system("Version"),
        "Qualifiers": "",
        "Level": level,
        "Task": system("Task"),
        "Opcode": system("Opcode"),
        "Keywords": str(keywords - (1 << 64) if keywords >= 1 << 63 else keywords),
        "RecordId": system("EventRecordID"),
        "ProviderName": "Microsoft-Windows-WLAN-AutoConfig",
        "ProviderId": system("Provider", "Guid").strip("{}"),
        "LogName": "Microsoft-Windows-WLAN-AutoConfig/Operational",
        "ProcessId": system("Execution", "ProcessID"),
        "ThreadId": system("Execution", "ThreadID"),
        "MachineName": computer,
        "UserId": system("Security", "UserID"),
        "TimeCreated": local(when),
        "ActivityId": "",
        "RelatedActivityId": "",
        "ContainerLog": "Microsoft-Windows-WLAN-AutoConfig/Operational",
        "MatchedQueryIds": "System.Int32[]",
        "Bookmark": "System.Diagnostics.Eventing.Reader.EventBookmark",
        "LevelDisplayName": "Error" if level == "2" else "Information",
        "OpcodeDisplayName": "Info",
        "TaskDisplayName": "",
        "KeywordsDisplayNames": "System.Collections.ObjectModel.ReadOnlyCollection`1[System.String]",
        "Properties": "System.Collections.Generic.List`1[System.Diagnostics.Eventing.Reader.EventProperty]",
    }


def german(when: str) -> str:
    t = datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", when.replace("Z", "+00:00")))
    return f"{t.day:02d}.{t.month:02d}.{t.year} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def write_csv(
    path: Path, rows: list[dict[str, str]], columns: list[str], delimiter: str, type_line: bool
) -> None:
    out = io.StringIO()
    if type_line:
        out.write("#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n")
    writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row[c] for c in columns])
    path.write_bytes(out.getvalue().encode("utf-8"))


def main() -> None:
    wevtutil, flist, viewer = [], [], []
    rows = []
    for i, (eid, when, computer, data, xml) in enumerate(events()):
        level = "Error" if eid in ("8002", "12013") else "Information"
        msg = message(eid, data)
        rows.append(csv_rows(xml, eid, when, computer, msg))
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
    out = HERE.parent / "windows-csv"
    out.mkdir(exist_ok=True)
    # Windows PowerShell 5.1: Get-WinEvent -LogName ... | Export-Csv wlan.csv (every property, a type line)
    write_csv(out / "export-csv-ps51.csv", rows, CSV_COLUMNS, ",", True)
    # PowerShell 7 in a German culture: ... | Select-Object TimeCreated,Id,LevelDisplayName,Message |
    # Export-Csv -UseCulture wlan.csv (the culture's separator and date, no type line)
    for row, (_eid, when, *_rest) in zip(rows, events(), strict=True):
        row["TimeCreated"] = german(when)
    write_csv(
        out / "export-csv-usculture-de.csv",
        rows,
        ["TimeCreated", "Id", "LevelDisplayName", "Message"],
        ";",
        False,
    )


if __name__ == "__main__":
    main()
