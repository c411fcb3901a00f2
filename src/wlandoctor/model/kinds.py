"""The documented vocabulary of event kinds.

Parsers map vendor wording to these kinds; rules reference only these kinds (and attributes).  Each kind
has a stage and a role, which the timeline uses to split attempts and decide how far each one got:

- ``progress``: the station got this far (e.g. M2 received).
- ``failure``: something went wrong at that stage (it does not by itself end the attempt).
- ``terminal``: the attempt ended badly (station deleted, deauthenticated, rejected).
- ``success``: the attempt ended online.
- ``teardown``: clean-up after an end; never starts a new attempt.
- ``info``: context only.
- ``summary``: a record kept by a controller about a past failure (online-fail-record); attached to the
  failing attempt it describes rather than placed by its time.

Add a kind here first, then map vendor text to it in a parser, then use it in rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from wlandoctor.model.stages import Stage

PROGRESS = "progress"
FAILURE = "failure"
TERMINAL = "terminal"
SUCCESS = "success"
TEARDOWN = "teardown"
INFO = "info"
SUMMARY = "summary"


@dataclass(frozen=True, slots=True)
class KindInfo:
    stage: Stage
    role: str
    description: str


S = Stage
KINDS: dict[str, KindInfo] = {
    # discovery
    "beacon": KindInfo(S.DISCOVERY, INFO, "Beacon or probe response from the BSS (SSID, RSN element)"),
    "probe.request": KindInfo(S.DISCOVERY, PROGRESS, "Probe request from the station"),
    "network.not_found": KindInfo(S.DISCOVERY, FAILURE, "The station did not find the network"),
    "network.rejected": KindInfo(
        S.DISCOVERY,
        FAILURE,
        "The station heard its network's AP and ruled it out at selection (attrs why, detail, cipher)",
    ),
    "supplicant.config_error": KindInfo(
        S.DISCOVERY,
        FAILURE,
        "The station's supplicant could not read its own configuration, so it never tries to join (attrs "
        "what: the field it could not parse, config_line)",
    ),
    "scan.failed": KindInfo(
        S.DISCOVERY, FAILURE, "The station could not scan at all (its driver refused the scan)"
    ),
    "ap.online_fail": KindInfo(
        S.DISCOVERY,
        INFO,
        "An AP could not go online (attrs ap_mac, reason_text): its WLANs are not on the air where it stands",
    ),
    # 802.11 authentication
    "auth.request": KindInfo(S.AUTH_80211, PROGRESS, "802.11 authentication request (Open System / SAE)"),
    "auth.response": KindInfo(S.AUTH_80211, PROGRESS, "802.11 authentication response with status 0"),
    "auth.reject": KindInfo(S.AUTH_80211, TERMINAL, "802.11 authentication rejected (attr status)"),
    "auth.timeout": KindInfo(S.AUTH_80211, FAILURE, "802.11 authentication timed out"),
    "auth.local_failure": KindInfo(
        S.AUTH_80211,
        FAILURE,
        "The station's own stack failed before sending its authentication request (attrs what, error: the "
        "kernel's error number)",
    ),
    "auth.challenge_failure": KindInfo(S.AUTH_80211, FAILURE, "Shared-key/SAE challenge failed"),
    "driver.request_failed": KindInfo(
        S.AUTH_80211,
        FAILURE,
        "The station's Wi-Fi driver refused to send the authentication or association request (attr what)",
    ),
    "sae.commit": KindInfo(S.AUTH_80211, PROGRESS, "SAE commit"),
    "sae.confirm": KindInfo(S.AUTH_80211, PROGRESS, "SAE confirm"),
    # association
    "assoc.request": KindInfo(S.ASSOCIATION, PROGRESS, "(Re)association request (attrs: pmkid, rssi)"),
    "assoc.response": KindInfo(S.ASSOCIATION, PROGRESS, "(Re)association accepted"),
    "assoc.reject": KindInfo(S.ASSOCIATION, TERMINAL, "(Re)association rejected (attrs: status, reason)"),
    "assoc.failure": KindInfo(S.ASSOCIATION, FAILURE, "Association failed per the controller (attr reason)"),
    "sta.blacklisted": KindInfo(S.ASSOCIATION, FAILURE, "Station on a blacklist or MAC ACL"),
    "pmksa.cache": KindInfo(
        S.ASSOCIATION, INFO, "PMKSA cache activity (attr action: added|removed|used|miss)"
    ),
    # 802.1X / EAP / RADIUS
    "eapol.start": KindInfo(S.DOT1X, PROGRESS, "EAPOL-Start or the authenticator starting 802.1X"),
    "eap.identity.request": KindInfo(S.DOT1X, PROGRESS, "EAP-Request/Identity sent to the station"),
    "eap.identity.response": KindInfo(S.DOT1X, PROGRESS, "EAP-Response/Identity from the station"),
    "eap.identity.timeout": KindInfo(S.DOT1X, FAILURE, "No response to EAP-Request/Identity"),
    "eap.challenge.request": KindInfo(S.DOT1X, PROGRESS, "EAP method request/challenge sent"),
    "eap.challenge.timeout": KindInfo(S.DOT1X, FAILURE, "No response to the EAP challenge"),
    "eap.retries_exceeded": KindInfo(S.DOT1X, FAILURE, "EAP request retransmissions exhausted"),
    "eap.packet.relayed": KindInfo(S.DOT1X, INFO, "EAP packet relayed between AP and station"),
    "eap.packet.tx_failed": KindInfo(
        S.DOT1X, FAILURE, "AP failed to send an EAP frame over the air (attr payload)"
    ),
    "eap.restarted": KindInfo(
        S.DOT1X, INFO, "The EAP exchange started over with no result in between (attr restarts)"
    ),
    "eap.success": KindInfo(S.DOT1X, PROGRESS, "EAP-Success"),
    "wps.done": KindInfo(
        S.DOT1X,
        INFO,
        "A WPS exchange (EAP-WSC) ended: with an EAP-Failure by design, the station joins again with the "
        "credential it was given",
    ),
    "eap.failure": KindInfo(S.DOT1X, TERMINAL, "EAP-Failure sent to the station"),
    "eap.tls_failure": KindInfo(
        S.DOT1X,
        FAILURE,
        "The EAP method's TLS tunnel failed: a TLS alert or a refused certificate (attrs tls_alert, "
        "tls_alert_by: sta|server, tls_cert_error, tls_cert_error_by, tls_x509_error, tls_library_error; "
        "tls_alert_sized: an answer the size of a TLS alert, whose kind the log does not say)",
    ),
    "eapol.local_failure": KindInfo(
        S.FOURWAY,
        FAILURE,
        "The station's supplicant failed on its own in the key handshake (attr what: random, derive-ptk, "
        "set-ptk, set-gtk)",
    ),
    "eap.method_refused": KindInfo(
        S.DOT1X,
        INFO,
        "The station answered the server's EAP method with a Nak and no method both accept was found "
        "(attrs proposed: the server's method, asked_for: the station's)",
    ),
    "dot1x.quiet": KindInfo(S.DOT1X, FAILURE, "Station in 802.1X quiet period after repeated failures"),
    "aaa.user_blocked": KindInfo(
        S.DOT1X,
        FAILURE,
        "Account locked after repeated authentication failures (attr user; from the AC's blocked-user list a "
        "station-less event with retry_interval_min, time_left_min, block_duration_min, blocked_at)",
    ),
    "radius.request": KindInfo(S.DOT1X, PROGRESS, "RADIUS Access-Request sent"),
    "radius.accept": KindInfo(S.DOT1X, PROGRESS, "RADIUS Access-Accept"),
    "radius.challenge": KindInfo(S.DOT1X, PROGRESS, "RADIUS Access-Challenge"),
    "radius.reject": KindInfo(S.DOT1X, FAILURE, "RADIUS Access-Reject (attr reply_message)"),
    "radius.password_check": KindInfo(
        S.DOT1X,
        FAILURE,
        "The server's own words on why the user's password could not match (attr credential: none-on-server, "
        "no password of the user's to check against; wrong, the answer did not match)",
    ),
    "radius.no_reply": KindInfo(S.DOT1X, FAILURE, "RADIUS server up but not answering"),
    "radius.unreachable": KindInfo(S.DOT1X, FAILURE, "RADIUS server not reachable / down"),
    "radius.bad_authenticator": KindInfo(
        S.DOT1X, FAILURE, "RADIUS reply failed the authenticator check (shared key)"
    ),
    "radius.unknown_client": KindInfo(
        S.DOT1X, FAILURE, "RADIUS server ignored a request from a client (NAS) it does not know (attr client)"
    ),
    "aaa.fail": KindInfo(S.DOT1X, FAILURE, "AAA authentication finished with a fail code (attr code)"),
    # authorization data is checked when the Accept arrives, before keys are installed
    "aaa.authz_data_error": KindInfo(
        S.AUTHORIZATION, FAILURE, "Authorization attributes invalid (attr what: vlan|acl)"
    ),
    # 4-way handshake
    "eapol.m1.sent": KindInfo(S.FOURWAY, PROGRESS, "EAPOL-Key message 1/4 sent to the station"),
    "eapol.m2.received": KindInfo(S.FOURWAY, PROGRESS, "EAPOL-Key message 2/4 received from the station"),
    "eapol.m2.sent": KindInfo(S.FOURWAY, PROGRESS, "Station log: M2 sent (not proof the AP got it)"),
    "eapol.m2.mic_failure": KindInfo(S.FOURWAY, FAILURE, "MIC of message 2/4 wrong: key mismatch"),
    "eapol.m2.unanswered": KindInfo(
        S.FOURWAY, FAILURE, "M2 was answered by a new M1, not M3: the AP rejected it (seen in captures)"
    ),
    "eapol.tx_failed": KindInfo(S.FOURWAY, FAILURE, "AP failed to send an EAPOL-Key frame over the air"),
    "eapol.m1.retry": KindInfo(S.FOURWAY, PROGRESS, "Message 1/4 retransmitted"),
    "eapol.m3.sent": KindInfo(S.FOURWAY, PROGRESS, "EAPOL-Key message 3/4 sent"),
    "eapol.m4.sent": KindInfo(S.FOURWAY, PROGRESS, "Station log: M4 sent (not proof the AP got it)"),
    "eapol.m3.retry": KindInfo(S.FOURWAY, PROGRESS, "Message 3/4 retransmitted"),
    "eapol.m4.received": KindInfo(S.FOURWAY, PROGRESS, "EAPOL-Key message 4/4 received"),
    "eapol.timeout": KindInfo(S.FOURWAY, FAILURE, "4-way handshake timed out (attr waiting_for: m2|m4)"),
    "eapol.rsne_mismatch": KindInfo(
        S.FOURWAY,
        FAILURE,
        "The security element of an EAPOL-Key message differs from the one it must repeat (attrs msg: 2, the "
        "station's against its association request, seen by the AP | 3, the AP's against its beacon, seen by "
        "the station; element: rsne|rsnxe|downgrade)",
    ),
    # the final result of a handshake: it ends the attempt (the AP's retries of M1/M3 came before it)
    "handshake.failed": KindInfo(
        S.FOURWAY, TERMINAL, "Controller reports the 4-way handshake failed (attr code)"
    ),
    "handshake.success": KindInfo(S.FOURWAY, PROGRESS, "4-way handshake completed"),
    "key.mismatch.summary": KindInfo(
        S.FOURWAY, FAILURE, "A source says the key is wrong (hint strength in attr)"
    ),
    # key proof from a capture and candidate passphrases (capture/proof_events.py)
    "key.proof.mismatch": KindInfo(
        S.FOURWAY,
        FAILURE,
        "Recomputed MIC/PMKID: the station used a key other than the current one (attrs result: stale-candidate|no-candidate, candidate)",
    ),
    "key.proof.current": KindInfo(
        S.FOURWAY, INFO, "Recomputed MIC/PMKID: the station used the current passphrase (attr candidate)"
    ),
    "key.proof.unavailable": KindInfo(
        S.FOURWAY,
        INFO,
        "The handshake could not be checked (attr verdict: incomplete|cannot-check-offline, reason)",
    ),
    # TKIP Michael MIC failures (data frames of a connected station; context for the deauthentication
    # with reason 14 that the countermeasures send)
    "tkip.mic_failure": KindInfo(
        S.FOURWAY,
        INFO,
        "Michael MIC failure: a TKIP frame with a wrong Michael MIC (attrs by: ap|sta, who detected it; group)",
    ),
    "tkip.countermeasures": KindInfo(
        S.FOURWAY,
        INFO,
        "TKIP countermeasures started: TKIP stations removed, TKIP refused for 60 s (attr by)",
    ),
    # group key
    "group.m1.sent": KindInfo(S.GROUP_KEY, PROGRESS, "Group key message 1/2 sent"),
    "group.m2.received": KindInfo(S.GROUP_KEY, PROGRESS, "Group key message 2/2 received"),
    "group.timeout": KindInfo(S.GROUP_KEY, FAILURE, "Group key handshake timed out"),
    # DHCP
    "dhcp.discover": KindInfo(S.DHCP, PROGRESS, "DHCPDISCOVER"),
    "dhcp.offer": KindInfo(S.DHCP, PROGRESS, "DHCPOFFER"),
    "dhcp.request": KindInfo(S.DHCP, PROGRESS, "DHCPREQUEST"),
    "dhcp.ack": KindInfo(S.DHCP, PROGRESS, "DHCPACK: address assigned"),
    "dhcp.nak": KindInfo(S.DHCP, FAILURE, "DHCPNAK"),
    "dhcp.failure": KindInfo(S.DHCP, FAILURE, "DHCP failed per the AP/controller (attr reason)"),
    "ip.configuring": KindInfo(
        S.DHCP,
        PROGRESS,
        "The client's connection manager starts its IP configuration (DHCP or static): associated, no "
        "address yet",
    ),
    "dhcp.server_failure": KindInfo(
        S.DHCP,
        FAILURE,
        "The DHCP server itself failed: down, crash loop, no address range, cannot bind (no station; attrs "
        "server, what)",
    ),
    # authorization / portal
    "portal.error": KindInfo(S.AUTHORIZATION, FAILURE, "Portal authentication problem (attr reason)"),
    "portal.pending": KindInfo(
        S.AUTHORIZATION,
        PROGRESS,
        "The station has its address and waits for the web portal's login: not authorized yet (attr policy_state)",
    ),
    "portal.logout": KindInfo(S.AUTHORIZATION, TERMINAL, "Portal server logged the user out"),
    # online / offline
    "sta.online": KindInfo(S.ONLINE, SUCCESS, "The controller reports the station online"),
    "sta.roam_record": KindInfo(
        S.ONLINE,
        SUCCESS,
        "The AC's roam track: the station was associated with this AP (and BSSID) at that time (attrs "
        "roam_type, rssi, rssi_out, rx_rate, tx_rate)",
    ),
    # hostapd AP-STA-CONNECTED / wpa_supplicant CTRL-EVENT-CONNECTED: keys installed, IP still to come
    "sta.connected": KindInfo(
        S.GROUP_KEY,
        PROGRESS,
        "The station is connected at layer 2 (keys installed); DHCP and authorization may follow",
    ),
    "sta.offline": KindInfo(S.ONLINE, INFO, "The station went offline after being online (attr reason)"),
    "sta.deleted": KindInfo(S.ASSOCIATION, TERMINAL, "The AP/controller deleted the station (attr reason)"),
    "sta.deauth": KindInfo(S.ASSOCIATION, TERMINAL, "Deauthentication (attrs reason, by: ap|sta)"),
    "sta.disassoc": KindInfo(S.ASSOCIATION, TEARDOWN, "Disassociation (attrs reason, by)"),
    "sta.pruned": KindInfo(
        S.ASSOCIATION,
        INFO,
        "The AP dropped the station's older association on another BSS of the same device, as it "
        "associated on this one (attr iface: the BSS dropped)",
    ),
    "sta.teardown": KindInfo(S.ASSOCIATION, TEARDOWN, "Other clean-up after the station was removed"),
    # controller summary records
    "online_fail.record": KindInfo(
        S.ASSOCIATION, SUMMARY, "An online-fail record (attrs reason, reason_text)"
    ),
    "aaa_fail.record": KindInfo(S.DOT1X, SUMMARY, "An AAA online-fail record (attrs reason, reason_text)"),
    "offline.record": KindInfo(S.ONLINE, SUMMARY, "An offline record (attrs reason, reason_text)"),
}


def kind_info(kind: str) -> KindInfo:
    return KINDS[kind]
