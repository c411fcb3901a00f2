"""A station's retries after its credentials failed.

A station whose key or 802.1X credentials were refused keeps retrying, and its later tries often fail
earlier and say less: the AP (or a controller) ignores it for a while after failed key exchanges, so its
authentication times out; it scans while its own stack holds the network back, or the AP is out of reach
for a moment, so the network is "not found".  Those tries are the failure's aftermath, not a cause of their
own: the station is judged by the credential failure before them (kb/engine.py)."""

from __future__ import annotations

from wlandoctor.model import STAGE_INDEX, Attempt, Outcome, Stage, StationTimeline
from wlandoctor.model.kinds import FAILURE, KINDS, TERMINAL

CREDENTIAL_STAGES = frozenset({Stage.DOT1X, Stage.FOURWAY})
# failures that say only that nothing came back or nothing was found, no refusal with a reason
NOTHING_CAME_BACK = frozenset({"auth.timeout", "assoc.failure", "network.not_found", "scan.failed"})
_BEFORE_CREDENTIALS = (Stage.DISCOVERY, Stage.AUTH_80211, Stage.ASSOCIATION)


def silent_retry(attempt: Attempt) -> bool:
    """A failed try that stopped before the credentials with nothing but time-outs or a network not found."""
    if attempt.outcome != Outcome.FAILED or attempt.failed_stage not in _BEFORE_CREDENTIALS:
        return False
    failures = [e.kind for e in attempt.events if KINDS[e.kind].role in (FAILURE, TERMINAL)]
    return bool(failures) and all(k in NOTHING_CAME_BACK for k in failures)


def credentials_failed(attempt: Attempt) -> bool:
    return attempt.outcome == Outcome.FAILED and attempt.failed_stage in CREDENTIAL_STAGES


def credentials_failed_before(tl: StationTimeline, attempt: Attempt) -> Attempt | None:
    """The attempt whose credentials failed (802.1X or the 4-way handshake) before ``attempt`` and the
    silent retries between them, when ``attempt`` is such a retry; None when a try got online, or failed
    otherwise, in between."""
    if not silent_retry(attempt):
        return None
    for earlier in reversed(tl.attempts[: tl.attempts.index(attempt)]):
        if earlier.outcome == Outcome.ONLINE:
            return None
        if earlier.outcome != Outcome.FAILED:
            continue
        if credentials_failed(earlier):
            return earlier
        if not silent_retry(earlier):
            return None
    return None


def failing_again(tl: StationTimeline, last: Attempt, earlier: Attempt) -> bool:
    """The station failed at ``earlier``'s stage on its two tries or more before ``last`` (none online
    since), and ``last``, cut by the end of the input, had not got past that stage: the same failure under
    way again, not a try whose outcome is open."""
    stage = earlier.failed_stage
    if stage is None or (last.reached is not None and STAGE_INDEX[last.reached] > STAGE_INDEX[stage]):
        return False
    same = 0
    for a in reversed(tl.attempts[: tl.attempts.index(last)]):
        if a.outcome == Outcome.ONLINE or (a.outcome == Outcome.FAILED and a.failed_stage != stage):
            break
        if a.outcome == Outcome.FAILED:
            same += 1
    return same >= 2
