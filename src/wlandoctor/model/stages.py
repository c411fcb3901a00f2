"""The onboarding stages, in the order a station passes them."""

from enum import StrEnum


class Stage(StrEnum):
    DISCOVERY = "discovery"
    AUTH_80211 = "802.11-auth"
    ASSOCIATION = "association"
    DOT1X = "802.1x"
    FOURWAY = "4way-handshake"
    GROUP_KEY = "group-key"
    DHCP = "dhcp"
    AUTHORIZATION = "authorization"
    ONLINE = "online"


STAGES: tuple[Stage, ...] = tuple(Stage)
# Position of each stage (a StrEnum member and its text are the same key); stage_index() without a call.
STAGE_INDEX: dict[Stage | str, int] = {s: i for i, s in enumerate(STAGES)}


def stage_index(stage: Stage | str) -> int:
    """Position of a stage in the onboarding order (discovery = 0)."""
    return STAGE_INDEX[stage]
