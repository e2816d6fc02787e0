"""Decoding: UTF-8 first, stray bytes located not recoded, legacy code pages by plausibility."""

from __future__ import annotations

import codecs

import pytest

from topics import ConfigError
from topics.io.encodings import Undecodable, check_encoding, decode_bytes

CASES = [
    ("A naïve Café owner said: à bientôt, déjà vu. Jürgen’s “quotes” – done.", "cp1252"),
    ("Le café est très bon à Paris. Garçon!", "latin-1"),
    ("Die Größe der Straße in Zürich überrascht.", "cp1252"),
    ("Санкции против России обсуждались в Брюсселе.", "cp1251"),
    ("Санкции", "cp1251"),
    ("Zażółć gęślą jaźń. Příliš žluťoučký kůň úpěl ďábelské ódy.", "cp1250"),
    ("Rząd przyjął nową ustawę o podatkach.", "cp1250"),
    ("A kormány elfogadta az új törvényt, különböző szempontok szerint.", "cp1250"),
    ("Οι κυρώσεις συζητήθηκαν στις Βρυξέλλες.", "cp1253"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "encoding"), CASES)
def test_legacy_text_round_trips(text, encoding):
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.text == text
    assert 0 < decoded.confidence <= 1
    expected = "cp1252" if encoding == "latin-1" else codecs.lookup(encoding).name
    assert decoded.encoding == expected


def test_western_text_mixing_languages_stays_cp1252():
    text = "naïve año três così Müller søster"
    assert decode_bytes(text.encode("cp1252")).text == text


def test_valid_utf8_and_boms():
    assert decode_bytes("Санкции, naïve".encode()).encoding == "utf-8"
    assert decode_bytes(codecs.BOM_UTF8 + b"abc").encoding == "utf-8-sig"
    utf16 = decode_bytes("Zürich".encode("utf-16"))
    assert (utf16.text, utf16.encoding, utf16.confidence) == ("Zürich", "utf-16", 1.0)


def test_one_stray_byte_does_not_recode_a_utf8_file():
    data = "Первая строка: naïve.\n".encode() * 3 + b"stray \xe9 byte and \x92 another\n"
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith("Первая строка: naïve.\n")
    assert decoded.text.count("\ufffd") == 2
    assert decoded.detail == (
        "UTF-8 with 2 invalid bytes replaced by U+FFFD (line 4, column 7; line 4, column 18)"
    )


def test_ascii_with_one_latin1_byte_is_that_letter():
    assert decode_bytes(b"Caf\xe9 society").text == "Café society"


def test_given_encoding_is_used_and_replacements_reported():
    decoded = decode_bytes("Café".encode("cp1252"), encoding="cp1251")
    assert (decoded.text, decoded.encoding, decoded.confidence) == ("Cafй", "cp1251", 1.0)
    bad = decode_bytes(b"abc \x81 def", encoding="cp1252")
    assert bad.text == "abc \ufffd def"
    assert "cp1252 (given) with 1 invalid byte" in bad.detail
    with pytest.raises(ConfigError, match="unknown encoding 'nope'"):
        check_encoding("nope")


def test_binary_is_undecodable():
    with pytest.raises(Undecodable, match="NUL"):
        decode_bytes(b"\x00\x01\x02abc")
    with pytest.raises(Undecodable, match="control characters"):
        decode_bytes(bytes(range(1, 32)) * 10)
