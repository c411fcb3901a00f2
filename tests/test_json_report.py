"""The JSON report 2.0 (compact) and its JSON Lines form: valid against the shipped schema, the same
diagnosis as the full form (every cause's prose, confidence, reasons and evidence line), each piece of
prose once, and far smaller than the full form on a many-station trace."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from wlandoctor.pipeline import Options, diagnose_paths
from wlandoctor.report import load_schema, render, to_dict
from wlandoctor.report.json_report import write_json, write_jsonl

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
CASES = {
    "founding": [ROOT / "examples" / "cached-pmk-case-study.txt"],
    "founding-and-healthy-hostapd": [
        ROOT / "examples" / "cached-pmk-case-study.txt",
        DATA / "hostap" / "healthy_hostapd_dd_wpa2psk.log",
    ],
    "huawei-public": [DATA / "huawei" / "huawei-public.txt"],
    "mediatek-mic": [DATA / "hostap" / "rt-n56u_issue648_mediatek_mic_different.log"],
    "ap-and-client": [
        DATA / "hostap" / "haasmesh_issue2_psk_mismatch.log",
        DATA / "merge" / "haasmesh_client_wpa_supplicant.log",
    ],
    "capture": [DATA / "captures" / "wpa2psk-Red_Apple.dump"],
}
SHORT = {
    "station",
    "verdict",
    "online_evidence",
    "aps",
    "ssids",
    "inputs",
    "attempt_count",
    "outcomes",
    "first",
    "last",
}


def _written(paths: list[Path], fmt: str = "json", events: bool = False, **opts: Any) -> tuple[Any, str]:
    report = diagnose_paths([str(p) for p in paths], Options(**opts))
    buf = io.StringIO()
    (write_json if fmt == "json" else write_jsonl)(report, buf, events)
    return report, buf.getvalue()


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_compact_report_says_what_the_full_form_says(case: str) -> None:
    report, text = _written(CASES[case])
    doc = json.loads(text)
    jsonschema.Draft202012Validator(load_schema()).validate(doc)
    full = to_dict(report)
    assert doc["version"] == "2.0" and doc["summary"] == full["summary"] and doc["inputs"] == full["inputs"]
    assert [s["station"] for s in doc["stations"]] == [s["station"] for s in full["stations"]]
    names = [i["source"] for i in doc["inputs"]]
    for st, fs in zip(doc["stations"], full["stations"], strict=True):
        assert (st["verdict"], st["online_evidence"]) == (fs["verdict"], fs["online_evidence"])
        assert [names[i] for i in st["inputs"]] == fs["sources"]
        assert st["attempt_count"] == len(fs["attempts"]) + fs["attempts_dropped"]
        if set(st) == SHORT:
            assert st["verdict"] == "online" and not fs["causes"] and not fs["unread_lines"]["count"]
            continue
        assert st["stage"] == fs["stage"]
        assert st["attempts"] == [
            {k: v for k, v in a.items() if k not in ("events", "dropped_events")} for a in fs["attempts"]
        ]
        assert len(st["causes"]) == len(fs["causes"])
        for c, fc in zip(st["causes"], fs["causes"], strict=True):
            entry = doc["causes"][c["key"]]
            for k in ("id", "rule", "stage", "title", "explanation", "fix", "confirm", "references"):
                assert entry[k] == fc[k], k
            for k in ("id", "confidence", "why_confidence", "attempt"):
                assert c[k] == fc[k], k
            cited = [st["evidence"][i] for i in c["evidence"]]
            assert [(names[e["input"]], e["line"], e["text"], e["kind"]) for e in cited] == [
                (e["source"], e["line"], e["text"], e["kind"]) for e in fc["evidence"]
            ]
            assert c.get("proof") == fc.get("proof") and c.get("seen_by") == fc.get("seen_by")
    cited_keys = {c["key"] for st in doc["stations"] for c in st.get("causes", [])}
    assert set(doc["causes"]) == cited_keys  # the catalogue holds what is cited, nothing else


@pytest.mark.parametrize("case", sorted(CASES))
def test_json_lines_hold_the_same_report(case: str) -> None:
    _, text = _written(CASES[case])
    doc = json.loads(text)
    _, lines = _written(CASES[case], "jsonl")
    validator = jsonschema.Draft202012Validator(load_schema("jsonl"))
    records = [json.loads(line) for line in lines.splitlines()]
    for r in records:
        validator.validate(r)
    assert all(line.startswith('{"type": "') for line in lines.splitlines())
    assert records[0]["type"] == "header" and records[-1] == {"type": "summary", "summary": doc["summary"]}
    assert {k: v for k, v in records[0].items() if k != "type"} == {
        k: doc[k] for k in ("generated", "inputs", "tool", "version")
    } | {"generated": records[0]["generated"]}
    seen: set[str] = set()
    stations = []
    for r in records[1:-1]:
        if r["type"] == "cause":
            assert r["key"] not in seen  # each entry once, before the first station citing it
            seen.add(r["key"])
            assert {k: v for k, v in r.items() if k not in ("type", "key")} == doc["causes"][r["key"]]
        else:
            assert r["type"] == "station" and all(c["key"] in seen for c in r.get("causes", []))
            stations.append({k: v for k, v in r.items() if k != "type"})
    assert stations == doc["stations"] and seen == set(doc["causes"])


def test_the_schema_refuses_what_the_contract_does_not_allow() -> None:
    _, text = _written(CASES["founding-and-healthy-hostapd"])
    validator = jsonschema.Draft202012Validator(load_schema())
    for breaking in (
        lambda d: d["stations"][1].pop("causes"),  # a failed station without its causes
        lambda d: d["stations"][0].update(causes=[]),  # a short record with a field of the long one
        lambda d: d["stations"][1]["causes"][0].update(evidence=["line 12"]),
        lambda d: d["causes"].popitem()[1].pop("fix") and d["causes"].update(x={}),
        lambda d: d.update(version="1.0"),
    ):
        doc = json.loads(text)
        breaking(doc)
        assert not validator.is_valid(doc)


def test_prose_once_and_far_smaller_than_the_full_form(tmp_path: Path) -> None:
    trace = tmp_path / "trace.txt"
    gen = [sys.executable, str(ROOT / "benchmarks" / "gen_ac_trace.py"), "-o", str(trace), "--size", "2M"]
    subprocess.run([*gen, "--stations", "5000"], check=True, timeout=120)
    report, text = _written([trace])
    doc = json.loads(text)
    failed = [s for s in doc["stations"] if s["verdict"] == "failed"]
    assert len(failed) >= 10 and len(doc["causes"]) < len(failed)
    for entry in doc["causes"].values():
        assert text.count(json.dumps(entry["explanation"], ensure_ascii=False)) == 1
    full = json.dumps(to_dict(report), ensure_ascii=False)
    assert len(text) * 3 < len(full), (len(text), len(full))
    healthy = [s for s in doc["stations"] if s["verdict"] == "online" and set(s) == SHORT]
    assert len(healthy) > len(doc["stations"]) / 2
    assert len(text) < trace.stat().st_size / 4


def test_events_when_asked_and_for_one_station() -> None:
    paths = CASES["founding-and-healthy-hostapd"]
    report, text = _written(paths, events=True)
    doc = json.loads(text)
    jsonschema.Draft202012Validator(load_schema()).validate(doc)
    full = to_dict(report, all_events=True)
    for st, fs in zip(doc["stations"], full["stations"], strict=True):
        assert "attempts" in st  # no short record when events are asked for
        expected = [
            (a["number"], e["kind"], e["line"], e["text"]) for a in fs["attempts"] for e in a["events"]
        ]
        assert [(e["attempt"], e["kind"], e["line"], e["text"]) for e in st["events"]] == expected
    buf = io.StringIO()
    one = diagnose_paths([str(p) for p in paths], Options(station="yyyy-yyyy-yyyy"))
    render(one, "json", buf, events=True)
    [st] = json.loads(buf.getvalue())["stations"]
    assert st["station"] == "yyyy-yyyy-yyyy" and len(st["events"]) >= 8


def test_cli_formats_and_station(tmp_path: Path) -> None:
    example = str(ROOT / "examples" / "cached-pmk-case-study.txt")
    base = [sys.executable, "-m", "wlandoctor", "diagnose", example, "--exit-zero"]
    out = subprocess.run([*base, "-f", "jsonl"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and [json.loads(x)["type"] for x in out.stdout.splitlines()] == [
        "header", "cause", "cause", "cause", "station", "summary"
    ]  # fmt: skip
    out = subprocess.run(
        [*base, "-f", "json", "-s", "yyyy-yyyy-yyyy"], capture_output=True, text=True, timeout=60
    )
    assert json.loads(out.stdout)["stations"][0]["events"]
    out = subprocess.run([*base, "-f", "json"], capture_output=True, text=True, timeout=60)
    assert "events" not in json.loads(out.stdout)["stations"][0]
    out = subprocess.run([*base, "-f", "json", "--events"], capture_output=True, text=True, timeout=60)
    assert json.loads(out.stdout)["stations"][0]["events"]
