"""Turn key proofs into events, so the knowledge base weighs them like any other evidence.

Which candidate is the WLAN's *current* passphrase: the one labelled ``current`` (any case), else the
first one in the list.  A station whose M2 reproduces another candidate uses a stale key; one whose M2
reproduces none holds a key nobody listed (typically mistyped).  Labels only: secrets never enter events.
"""

from __future__ import annotations

from collections.abc import Sequence

from wlandoctor.capture.candidates import Candidate
from wlandoctor.capture.verify import CANNOT, INCOMPLETE, MATCH, NO_MATCH, Proof
from wlandoctor.model import Event, SourceRef, Stage
from wlandoctor.util.mac import normalize_mac


def current_label(candidates: Sequence[Candidate]) -> str | None:
    for c in candidates:
        if c.label.lower() == "current":
            return c.label
    return candidates[0].label if candidates else None


def proof_events(
    proofs: Sequence[Proof], source: str, candidates: Sequence[Candidate], time0: dict[int, float]
) -> list[Event]:
    """One event per handshake proof; ``time0`` maps frame numbers to capture times where known."""
    current = current_label(candidates)
    out: list[Event] = []
    for p in proofs:
        frame = p.frames[0] if p.frames else 0
        checked = ", ".join(p.verified) if p.verified else ", ".join(p.messages)
        attrs: dict[str, object] = {
            "verdict": p.verdict,
            "frames": list(p.frames),
            "kver": p.kver,
            "akm": p.akm_name,
        }
        if p.verdict == MATCH and p.candidate == current:
            kind = "key.proof.current"
            attrs["candidate"] = p.candidate
            text = f"key proof: {checked} reproduced with candidate `{p.candidate}` (the current passphrase)"
        elif p.verdict == MATCH:
            kind = "key.proof.mismatch"
            attrs.update(result="stale-candidate", candidate=p.candidate)
            text = f"key proof: {checked} reproduced with candidate `{p.candidate}`, not the current passphrase `{current}`"
        elif p.verdict == NO_MATCH:
            kind = "key.proof.mismatch"
            attrs["result"] = "no-candidate"
            text = f"key proof: no candidate reproduces the MIC of {', '.join(p.messages)}: the station holds a key nobody listed"
        else:
            kind = "key.proof.unavailable"
            why = (
                "; ".join(p.notes)
                if p.notes
                else ("cannot be checked offline" if p.verdict == CANNOT else "no usable M1+M2")
            )
            attrs["reason"] = why
            text = f"key proof: {p.verdict} ({why})"
            if p.verdict not in (INCOMPLETE, CANNOT):
                continue
        out.append(
            Event(
                kind=kind,
                station=normalize_mac(p.sta),
                stage=Stage.FOURWAY,
                ref=SourceRef(source, frame, text),
                time=time0.get(frame),
                seq=frame,
                ap=normalize_mac(p.ap),
                bssid=normalize_mac(p.ap),
                ssid=p.ssid,
                attrs=attrs,
            )
        )
    return out
