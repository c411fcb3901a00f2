"""Packet captures: stream pcap/pcapng, decode the onboarding frames, prove which key a station used.

- ``reader``: pcap/pcapng streaming, link types 105 (802.11), 127 (radiotap), 119 (Prism/AVS), 1 (Ethernet).
- ``messages``: EAPOL-Key message identification (M1..M4, group 1/2 and 2/2) from the key-info bits.
- ``crypto``: PMK, PTK (PRF-SHA1 and KDF-SHA256), EAPOL-Key MIC and PMKID.
- ``verify``: pairing of messages into handshakes and the per-candidate key proof.
- ``candidates``: loading candidate passphrases without ever putting them on a command line.
- ``codes``: names of all IEEE 802.11 status and reason codes.
"""

from wlandoctor.capture.reader import Capture, CaptureError, EapolKey, Frame, RsnInfo, open_capture

__all__ = ["Capture", "CaptureError", "EapolKey", "Frame", "RsnInfo", "open_capture"]
