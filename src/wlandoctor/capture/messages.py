"""Tell EAPOL-Key messages apart from their Key Information bits, the way the authenticator does.

Order in the capture is never used: captures miss frames, and stations retry.  The Secure bit alone is not
used either: a station that re-keys an existing association sets Secure in message 2/4 as well
(aircrack-ng's wpa2-psk-linksys.cap frame 90, key info 0x030a, is such an M2).

Rules (hostapd ``wpa_receive()`` for the supplicant's messages, Wireshark for the authenticator's):

- Request bit set: an EAPOL-Key request (``request``, e.g. a Michael MIC failure report).
- Pairwise bit set, Ack set: M3 when the MIC bit is set (M3 carries a MIC; Install is set on it too,
  except on some WPA1 stacks), M1 otherwise.
- Pairwise bit set, Ack clear: M4 when the key data is empty, M2 otherwise (M2 always carries the
  station's RSN/WPA element in its key data; M4 never carries key data).  The nonce cannot decide:
  WPA1 stations echo their SNonce in message 4 (aircrack-ng wpa.cap frame 8).
- Pairwise bit clear: group key message 1/2 when Ack is set, 2/2 otherwise.
"""

from __future__ import annotations

from wlandoctor.capture.reader import EapolKey

M1 = "M1"
M2 = "M2"
M3 = "M3"
M4 = "M4"
GROUP1 = "G1"
GROUP2 = "G2"
REQUEST = "request"

DESCRIPTIONS = {
    M1: "Message 1 of 4",
    M2: "Message 2 of 4",
    M3: "Message 3 of 4",
    M4: "Message 4 of 4",
    GROUP1: "Group Message 1 of 2",
    GROUP2: "Group Message 2 of 2",
    REQUEST: "Key Request",
}

# Which side sends each message.
FROM_AUTHENTICATOR = {M1, M3, GROUP1}
FROM_SUPPLICANT = {M2, M4, GROUP2, REQUEST}


def classify(key: EapolKey) -> str:
    """M1, M2, M3, M4, G1 (group 1/2), G2 (group 2/2) or ``request``."""
    if key.request:
        return REQUEST
    if not key.pairwise:
        # WPA1 group messages carry the descriptor type 254 and no Pairwise bit, like RSN ones.
        return GROUP1 if key.ack else GROUP2
    if key.ack:
        return M3 if key.has_mic else M1
    return M2 if key.key_data else M4
