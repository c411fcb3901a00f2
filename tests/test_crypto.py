"""The WPA key hierarchy against published vectors (RFC 6070, RFC 4493, IEEE 802.11 Annex J, hashcat 22000)
and against full derivations from real captures."""

from __future__ import annotations

import hashlib

import pytest

from wlandoctor.capture import crypto


def h(s: str) -> bytes:
    return bytes.fromhex(s)


# IEEE 802.11-2020 Annex J.4 (hostap crypto_module_tests.c passphrase_tests[])
@pytest.mark.parametrize(
    ("passphrase", "ssid", "psk"),
    [
        ("password", "IEEE", "f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e"),
        (
            "ThisIsAPassword",
            "ThisIsASSID",
            "0dc0d6eb90555ed6419756b9a15ec3e3209b63df707dd508d14581f8982721af",
        ),
        ("a" * 32, "Z" * 32, "becb93866bb8c3832cb777c2f559807c8c59afcb6eae734885001300a981cc62"),
    ],
)
def test_passphrase_to_psk_annex_j4(passphrase: str, ssid: str, psk: str) -> None:
    assert crypto.pbkdf2_pmk(passphrase.encode(), ssid.encode()).hex() == psk
    assert crypto.secret_to_pmk(passphrase, ssid.encode()).hex() == psk


def test_hex_psk_is_used_as_is() -> None:
    psk = "f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e"
    assert crypto.secret_to_pmk(psk, b"whatever") == h(psk)
    assert crypto.secret_to_pmk(psk.upper(), b"x") == h(psk)


# RFC 6070 section 2 (the 16M-iteration vector is left out: too slow for a unit test)
@pytest.mark.parametrize(
    ("p", "s", "c", "dk"),
    [
        (b"password", b"salt", 1, "0c60c80f961f0e71f3a9b524af6012062fe037a6"),
        (b"password", b"salt", 2, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"),
        (b"password", b"salt", 4096, "4b007901b765489abead49d926f721d065a429c1"),
        (
            b"passwordPASSWORDpassword",
            b"saltSALTsaltSALTsaltSALTsaltSALTsalt",
            4096,
            "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038",
        ),
        (b"pass\0word", b"sa\0lt", 4096, "56fa6aa75548099dcc37d7f03425e0c3"),
    ],
)
def test_pbkdf2_rfc6070(p: bytes, s: bytes, c: int, dk: str) -> None:
    assert hashlib.pbkdf2_hmac("sha1", p, s, c, len(dk) // 2).hex() == dk


# hostap test_sha1() PRF vectors, label "prefix", 64 bytes
@pytest.mark.parametrize(
    ("key", "data", "out"),
    [
        (
            b"\x0b" * 20,
            b"Hi There",
            "bcd4c650b30b9684951829e0d75f9d54b862175ed9f00606e17d8da35402ffee"
            "75df78c3d31e0f889f012120c0862beb67753e7439ae242edb8373698356cf5a",
        ),
        (
            b"Jefe",
            b"what do ya want for nothing?",
            "51f4de5b33f249adf81aeb713a3c20f4fe631446fabdfa58244759ae58ef9009"
            "a99abf4eac2ca5fa87e692c440eb40023e7babb206d61de7b92f41529092b8fc",
        ),
        (
            b"\xaa" * 20,
            b"\xdd" * 50,
            "e1ac546ec4cb636f9976487be5c86be17a0252ca5d8d8df12cfb0473525249ce"
            "9dd8d177ead710bc9b590547239107aef7b4abd43d87f0a68f1cbd9e2b6f7607",
        ),
    ],
)
def test_prf_sha1_vectors(key: bytes, data: bytes, out: str) -> None:
    assert crypto.prf_sha1(key, b"prefix", data, 64).hex() == out
    # Shorter outputs are prefixes (PRF-384 of the same input).
    assert crypto.prf_sha1(key, b"prefix", data, 48).hex() == out[:96]


def test_prf_sha1_annex_labels() -> None:
    # Annex J.3 case 2 and 3 use labels prefix-2 / prefix-3; first bytes widely reproduced.
    assert (
        crypto.prf_sha1(b"Jefe", b"prefix-2", b"what do ya want for nothing?", 64)
        .hex()
        .startswith("47c4908e30c94752")
    )
    data = b"Test Using Larger Than Block-Size Key - Hash Key First"
    assert crypto.prf_sha1(b"\xaa" * 80, b"prefix-3", data, 64).hex().startswith("0ab6c33ccf70d0d7")


# RFC 4493 section 4
@pytest.mark.parametrize(
    ("n", "mac"),
    [
        (0, "bb1d6929e95937287fa37d129b756746"),
        (16, "070a16b46b4d4144f79bdd9dd04a287c"),
        (40, "dfa66747de9ae63030ca32611497c827"),
        (64, "51f0bebf7e3b9d92fc49741779363cfe"),
    ],
)
def test_aes_cmac_rfc4493(n: int, mac: str) -> None:
    key = h("2b7e151628aed2a6abf7158809cf4f3c")
    msg = h(
        "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
        "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"
    )[:n]
    assert crypto.compute_mic(key, 3, msg).hex() == mac


def test_pmkid_hashcat_22000_type01() -> None:
    pmk = crypto.pbkdf2_pmk(b"hashcat!", b"hashcat-essid")
    assert pmk.hex() == "88f43854ae7b1624fc2ab7724859e795130f4843c7535729e819cf92f39535dc"
    aa, spa = h("fc690c158264"), h("f4747f87f9f4")
    assert crypto.pmkid(pmk, aa, spa).hex() == "4d4fe7aac3a2cecab195321ceb99a7d0"


def test_pmkid_aircrack_hash_line() -> None:
    pmk = crypto.pbkdf2_pmk(b"SP-91862D361", b"WLAN-771698")
    assert pmk.hex() == "797d07faa764195cabe5f6292d0edee1b1047bb402f8afdee0c497c4596615e1"
    assert crypto.pmkid(pmk, h("0012bf77162d"), h("0021e924a5e7")).hex() == "c2ea9449c142e84a0479041702526532"


def test_mic_hashcat_22000_type02() -> None:
    eapol = h(
        "0103007502010a0000000000000000000148ce2ccba9c1fda130ff2fbbfb4fd3b063d1a93920b0f7df54a5cbf787b16171"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "00000000000000000000000000000000001630140100000fac040100000fac040100000fac028000"
    )
    anonce = h("10e3be3b005a629e89de088d6a2fdc489db83ad4764f2d186b9cde15446e972e")
    snonce = eapol[17:49]
    assert snonce.hex() == "48ce2ccba9c1fda130ff2fbbfb4fd3b063d1a93920b0f7df54a5cbf787b16171"
    aa, spa = h("6466b38ec3fc"), h("225edc49b7aa")
    pmk = crypto.pbkdf2_pmk(b"hashcat!", b"TP-LINK_HASHCAT_TEST")
    assert pmk.hex() == "0857172bd4d3ebb34cf00f3619726008d27558926d963a547332fab033023b82"
    kck = crypto.derive_kck(pmk, aa, spa, anonce, snonce, 2)
    assert kck.hex() == "57d0f2ff5faef56f9b94390aebf4474d"
    assert crypto.compute_mic(kck, 2, eapol).hex() == "024022795224bffca545276c3762686f"
    # Negative case: without the "!" the MIC is a different one.
    wrong = crypto.derive_kck(
        crypto.pbkdf2_pmk(b"hashcat", b"TP-LINK_HASHCAT_TEST"), aa, spa, anonce, snonce, 2
    )
    assert crypto.compute_mic(wrong, 2, eapol).hex() == "0de0ab26dcc9f20f6bfc3ab1e11003e0"


def test_pmk_name_label_is_case_sensitive() -> None:
    import hmac

    pmk = h("88f43854ae7b1624fc2ab7724859e795130f4843c7535729e819cf92f39535dc")
    aa, spa = h("fc690c158264"), h("f4747f87f9f4")
    wrong = hmac.new(pmk, b"PMK name" + aa + spa, hashlib.sha1).digest()[:16]
    assert wrong.hex() == "05dda8cba0264738c82ad93d6331ad1e"
    assert crypto.pmkid(pmk, aa, spa) != wrong


# vectors.md section 8: full derivations from aircrack-ng captures
FULL = [
    pytest.param(
        2,
        "12345678",
        "Harkonen",
        "00146c7e4080",
        "001346fe320c",
        "ee51883793a6f68e9615fe73c80a3aa6f2dd0ea537bce627b929183cc6e57925",
        "225854b0444de3af06d1492b852984f04cf6274c0e3218b8681756864db7a055",
        "59168bc3a5df18d71efb6423f340088dab9e1ba2bbc58659e07b3764b0de8570",
        "ea0e404633c802450302868ccaa749de5cba5abcb267e2de1d5e21e57accd507"
        "9b31e9ff220e132ae4f6ed9ef1acc88545825fc32ee55961395ae43734d6c107",
        id="wpa2.eapol.cap",
    ),
    pytest.param(
        1,
        "biscotte",
        "test",
        "000d93ebb08c",
        "00095b91535d",
        "cdd79a5acfb070c7e9d1023b870285d639e430b32f31aa37ac825a55b55524ee",
        "54adc644966dc8423d44364a1de9ec22415522bd0555ee718f8a53b8d679470c",
        "fe5f0c5b5423815f35fe606720bbb9466d8601a8b4493af4cf5a0317f38c8387",
        "33550bfc4f2484f49a38b3d08983d24973f9de8967a66d2b8e462c07476ace08"
        "adfb65d613a99f2c65e4a608f25a6797d96f765b8cd3df132fbcda6a6ed962cd",
        id="wpa.cap",
    ),
    pytest.param(
        3,
        "bo$$password",
        "Neheb",
        "b0b98a568dea",
        "2cf0a2ddbcd0",
        "fb57668cd338374412c26208d79aa5c30ce40a110224f3cfb592a8f2e8bf53e8",
        "0218c7b64ecef40c4f15915fbceb19c8d62608387eb6b986d9599a8bd70dc85d",
        "6467233e730767c33e1df875c3ad0eb58a51ad704a3fae06b818c0c5fcebf3af",
        "2c76dc592c3b671bac230f6c9e38a062a0ddc98f4ab4d6129022fc7f45fe9264d72088051b391718cafa478a9b438c3d",
        id="n-02.cap",
    ),
]


@pytest.mark.parametrize(("kver", "pw", "ssid", "aa", "spa", "pmk", "anonce", "snonce", "ptk"), FULL)
def test_full_derivation_from_captures(
    kver: int, pw: str, ssid: str, aa: str, spa: str, pmk: str, anonce: str, snonce: str, ptk: str
) -> None:
    got_pmk = crypto.pbkdf2_pmk(pw.encode(), ssid.encode())
    assert got_pmk.hex() == pmk
    got = crypto.derive_ptk(got_pmk, h(aa), h(spa), h(anonce), h(snonce), kver)
    assert got.hex() == ptk
    # Argument order of AA/SPA and of the nonces does not matter (min/max).
    assert crypto.derive_ptk(got_pmk, h(spa), h(aa), h(snonce), h(anonce), kver) == got
    assert crypto.derive_kck(got_pmk, h(aa), h(spa), h(anonce), h(snonce), kver) == got[:16]


def test_kdf_sha256_is_not_prf_sha1() -> None:
    pmk = b"\x01" * 32
    args = (pmk, b"\x02" * 6, b"\x03" * 6, b"\x04" * 32, b"\x05" * 32)
    assert crypto.derive_ptk(*args, 3) != crypto.derive_ptk(*args, 2)[:48]
    assert crypto.derive_ptk(*args, 2, akm=6) == crypto.derive_ptk(*args, 3)


def test_pmk_cache_computes_once_and_hides_secrets() -> None:
    cache = crypto.PmkCache()
    a = cache.get(b"IEEE", "password")
    b = cache.get(b"IEEE", "password")
    assert a == b and cache.computed == 1
    cache.get(b"other", "password")
    assert cache.computed == 2
    assert "password" not in repr(cache)


def test_mic_version_0_is_refused() -> None:
    with pytest.raises(ValueError, match="version 0"):
        crypto.compute_mic(b"\x00" * 16, 0, b"")
