"""Rebuild the founding-case variants in this folder from founding-flattened.txt (run from this folder).

The variants are the real case re-pasted the ways engineers paste it: one record per line, with real MACs
in other notations, interleaved with other stations of the same AP, with CRLF line ends and junk around it.
The healthy stations' records reuse the case's own record formats (handshake 3/4 and 4/4 as in the
documented station-trace output, result 0 = success).
"""

import re
from pathlib import Path

src = Path("founding-flattened.txt").read_text()
lines = src.splitlines()
table_line = next(line for line in lines if "online-fail-record sta-mac" in line)
trace_line = next(line for line in lines if "<7>" in line)
records = ["<7>" + r.strip() for r in trace_line.split("<7>")[1:]]
prompt = trace_line.split("<7>")[0].strip()

# 1. one record per line, table unflattened
table = re.sub(
    r"\s*(-{20,})\s*", r"\n\1\n", table_line.replace("[AC-diagnose] display", "[AC-diagnose] display")
)
table = table.replace(" Rf/WLAN:", "\nRf/WLAN:").replace(" yyyy-yyyy-yyyy AP", "\nyyyy-yyyy-yyyy AP")
per_line = "\n".join([table.strip(), prompt, *records]) + "\n"
Path("founding-per-line.txt").write_text(per_line)


# 2. real MAC, Huawei upper-case in the trace, colon form in the table
def real(text: str, trace_form: str, table_form: str) -> str:
    return text.replace("yyyy-yyyy-yyyy AP 19", f"{table_form} AP 19").replace("yyyy-yyyy-yyyy", trace_form)


Path("founding-real-mac.txt").write_text(real(per_line, "DC21-E2AD-BAE1", "dc:21:e2:ad:ba:e1"))


# 3. three stations interleaved in one flattened paste: the failing Mac and two that join fine
def healthy(mac: str, seq: int, t0: str) -> list[str]:
    out = []
    n = 0
    for k, action in (
        ("1/4", "Recved from software switch"),
        ("1/4", "elapsed[0 ms] Success to send pkt to air"),
        ("2/4", "Recved from target"),
        ("3/4", "elapsed[0 ms] Success to send pkt to air"),
        ("4/4", "Recved from target"),
    ):
        n += 1
        out.append(
            f"<7>Mar 05 2021 18:06:{t0}.{n} AP01 WIFI/7/BTRACE:[BTRACE][WLAN_WIFI][{mac}]:SeqNo[{seq + n}] "
            f"[EAPOL] EAPOL key handshake {k} payload[{117 if k != '3/4' else 151}] {action}"
        )
    out.append(
        f"<7>Mar 05 2021 18:06:{t0}.{n + 1} AP01 WSRV/7/BTRACE:(BTRACE)(WLAN_AP)({mac}):server : notify "
        "handshake result : IsPtkRekey = 0 keyBitMap(0x1:ptk,0x2:gtk) = 0x1 result(0:success,1:fail) = 0"
    )
    return out


a = healthy("5c87-9c0e-41a2", 880, "09.101")
b = healthy("8c85-90d1-77c3", 1210, "10.280")
mixed: list[str] = []
for i in range(max(len(records), len(a), len(b))):
    for lst in (a, records, b):
        if i < len(lst):
            mixed.append(lst[i])
Path("founding-interleaved.txt").write_text(table_line + "\n" + prompt + " " + " ".join(mixed) + "\n")

# 4. CRLF, junk, escape codes and HTML around the case
junk = (
    "login as: admin\r\n"
    "\x1b[31;1mWarning:\x1b[0m the trace buffer is <b>nearly full</b> <script>alert(1)</script>\r\n"
    "\x00\x01\x02\xff\xfe binary noise \x00\x00\r\n"
)
Path("founding-crlf-junk.txt").write_bytes(
    junk.encode("latin-1") + per_line.replace("\n", "\r\n").encode() + b"\r\n<HUAWEI> quit\r\n"
)

# 5. healthy only
Path("healthy-psk-join.txt").write_text(
    "[AC-diagnose] station-trace sta-mac 5c87-9c0e-41a2\n" + "\n".join(a) + "\n"
)
