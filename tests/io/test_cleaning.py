from __future__ import annotations

from topics.io.cleaning import clean_text, normalize_unicode, paragraphs


def test_mojibake_is_repaired():
    assert normalize_unicode("Kazakhstan\u00e2\u0080\u0099s Communiqu\u00c3\u00a9") == (
        "Kazakhstan's Communiqué"
    )


def test_cyrillic_lookalikes_fixed_only_inside_latin_words():
    assert normalize_unicode("\u041cinister") == "Minister"
    assert normalize_unicode("Астана") == "Астана"


def test_pdf_line_breaks_rejoined_and_paragraphs_kept():
    raw = "Perhaps the\ninternational community has not\ndone well.\nA new paragraph starts."
    assert paragraphs(raw) == [
        "Perhaps the international community has not done well.",
        "A new paragraph starts.",
    ]


def test_abbreviation_at_line_end_does_not_end_paragraph():
    assert paragraphs("I thank your predecessor, Mr.\nJan Eliasson, for his work.") == [
        "I thank your predecessor, Mr. Jan Eliasson, for his work."
    ]


def test_hyphenation_repaired_only_for_split_words():
    assert paragraphs("sustainable develop-\nment goals.") == ["sustainable development goals."]
    assert paragraphs("the right to self-\ndetermination.") == ["the right to self-determination."]


def test_un_page_furniture_removed():
    raw = (
        "We stand together\n23/09/2015 A/70/PV.13\n15-29336 5/31\n12\n"
        "in this Hall.\nA/70/PV.13 23/09/2015\n(spoke in French)\nThank you."
    )
    assert clean_text(raw) == "We stand together in this Hall.\n\nThank you."


def test_clean_text_keeps_a_citation_inside_a_sentence():
    raw = "As President Obama said (see A/70/PV.13), no country stands alone."
    assert "A/70/PV.13" in clean_text(raw)
