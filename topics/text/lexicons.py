"""What each language's words go through: its stop words, its lemmatiser, its script.

One corpus may mix English, Russian, Ukrainian and Kazakh (a news agency publishes all three of
the last, and quotes English names in each). Preprocessing is decided per *token* by its script
and per *document* by its language:

- a Latin-script token is English: scikit-learn's English stop words and simplemma's English
  lemmas (exactly what an English corpus always got, so English results do not change);
- a Cyrillic token takes the document's Cyrillic language — the ``lang`` a corpus records at
  ingest when it is ``ru``, ``uk`` or ``kk``, else the language identifier's choice among those
  three on the document's text: Russian and Ukrainian get the stop words of the ``stop-words``
  package and simplemma's lemmas; Kazakh, which no offline lemmatiser covers, gets the stop
  words below and no lemmas — its words are matched by a codebook's stems (``санкция*``).

All four languages share one vocabulary (a token is a string whatever its language): a topic
model on a mixed corpus sees ``санкция`` and ``sanction`` as two words, which is why a codebook
gives each theme's terms per language rather than relying on a model to align them.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache

__all__ = [
    "CYRILLIC",
    "KAZAKH_STOP_WORDS",
    "LEMMATIZED",
    "cyrillic_language",
    "is_cyrillic",
    "language_settings",
    "stop_words",
    "stop_words_of",
]

#: Languages written in Cyrillic whose words the package knows.
CYRILLIC: tuple[str, ...] = ("kk", "ru", "uk")
#: Languages with simplemma lemmas (Kazakh has none).
LEMMATIZED: tuple[str, ...] = ("en", "ru", "uk")

_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһӘҒҚҢӨҰҮҺ]")
_UKRAINIAN_LETTERS = re.compile(r"[їєґЇЄҐ]")

_KAZAKH_FUNCTION_WORDS = """
    және мен бен пен да де та те бірақ алайда немесе әлде яки не яғни сондай-ақ әрі өйткені
    себебі сондықтан егер дегенмен ал ия иә әйтпесе сонымен тағы
    үшін арқылы туралы бойынша дейін шейін кейін соң бері қарай сияқты секілді сайын қатар
    бірге арасында жөнінде жайында бойы ішінде кезінде кезде алдында артында үстінде астында
    сәйкес қарамастан басқа гөрі
    сен сіз ол біз сендер сіздер олар менің сенің сіздің оның біздің олардың маған саған
    сізге оған бізге оларға мені сені сізді оны бізді оларды менде онда бізде оларда одан
    осы сол мына ана бұл бұның бұны осының соның мынау анау бұған осыған соған бұнда мұнда
    осында сонда осылар солар бұлар өз өзі өзінің өзін өзіне өздері өзара кім қандай қайда
    қашан қалай неше қанша қай неге нені ненің барлық бәрі бәрін әр әрбір кейбір ешкім
    ештеңе еш бірнеше көп аз барша бүкіл
    ма ме ба бе па пе ғой қой ғана қана тек тіпті әлі енді өте ең аса тым бар жоқ емес еді
    екен екенін болып болды болса болған болады болу бола болмақ болатын болғандықтан етіп
    етті етеді ету етуге еткен жатыр жатқан отыр тұр деп деді дейді деген дегенде сондай
    мұндай осындай солай осылай былай дәл нақ әсіресе жалпы атап
    бір екі үш төрт бес алты жеті сегіз тоғыз он жиырма отыз қырық елу жүз мың
    жыл жылы жылғы
"""
#: Kazakh function words: conjunctions, postpositions, pronouns and their common case forms,
#: particles, auxiliary verbs and number words. Written for this package from Kazakh grammar
#: (no maintained offline list covers Kazakh); content words — even frequent ones such as
#: «мемлекет» (state) or «ел» (country) — are deliberately left out.
KAZAKH_STOP_WORDS: frozenset[str] = frozenset(_KAZAKH_FUNCTION_WORDS.split())


def is_cyrillic(text: str) -> bool:
    """Whether ``text`` (a token or a document) has a Cyrillic letter."""
    return _CYRILLIC_LETTER.search(text) is not None


def cyrillic_language(text: str, given: str | None = None) -> str:
    """Return the language (``ru``, ``uk`` or ``kk``) of ``text``'s Cyrillic words.

    ``given`` (the document's recorded ``lang``) wins when it is one of them; otherwise the
    language identifier chooses among the three; a text too short for it is told by letters
    only one language has (Kazakh «әғқңөұүһ», Ukrainian «їєґ»), and Russian is the rest.
    """
    if given in CYRILLIC:
        return str(given)
    from ..corpus.languages import detect_language

    found = detect_language(text, CYRILLIC)
    if found is not None:
        return found
    if _KAZAKH_LETTERS.search(text):
        return "kk"
    return "uk" if _UKRAINIAN_LETTERS.search(text) else "ru"


@lru_cache(maxsize=8)
def stop_words_of(lang: str) -> frozenset[str]:
    """Return the built-in stop words of ``lang`` (empty for a language the package lacks).

    English: scikit-learn's list (318 words); Russian and Ukrainian: the ``stop-words``
    package's lists (inflected forms included); Kazakh: :data:`KAZAKH_STOP_WORDS`.
    """
    if lang == "en":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return frozenset(ENGLISH_STOP_WORDS)
    if lang == "kk":
        return KAZAKH_STOP_WORDS
    if lang in ("ru", "uk"):
        from stop_words import get_stop_words

        words = get_stop_words("russian" if lang == "ru" else "ukrainian", cache=False)
        return frozenset(w.lower().replace("’", "'") for w in words if " " not in w)
    return frozenset()


def stop_words(*languages: str) -> list[str]:
    """Return the package's stop words of ``languages``, sorted, for a scikit-learn vectoriser.

    ``CountVectorizer(stop_words=topics.stop_words("en", "ru"))`` drops the function words
    :class:`~topics.text.Preprocessor` drops (before lemmas: add inflected forms yourself).
    With no language given: all four (``en``, ``ru``, ``uk``, ``kk``). An unknown code is an
    error, so a typo cannot leave every stop word in.

    >>> words = stop_words("en")
    >>> "the" in words, "sanctions" in words
    (True, False)
    """
    known = ("en", *CYRILLIC)
    unknown = [lang for lang in languages if lang not in known]
    if unknown:
        from ..errors import ConfigError

        raise ConfigError(f"no stop words for {unknown}: choose among {list(known)}")
    return sorted(set().union(*(stop_words_of(lang) for lang in languages or known)))


def language_settings(stop_words: str, lemmatize: bool) -> dict[str, dict[str, object]]:
    """Describe what each known language gets under these settings (for manifests)."""
    return copy.deepcopy(_describe(stop_words, lemmatize))  # the caller may change its copy


@lru_cache(maxsize=8)
def _describe(stop_words: str, lemmatize: bool) -> dict[str, dict[str, object]]:
    from importlib.metadata import version

    sources = {
        "en": f"scikit-learn {version('scikit-learn')} English",
        "ru": f"stop-words {version('stop-words')} russian",
        "uk": f"stop-words {version('stop-words')} ukrainian",
        "kk": "topics.text.lexicons.KAZAKH_STOP_WORDS",
    }
    out: dict[str, dict[str, object]] = {}
    for lang in ("en", *CYRILLIC):
        uses_list = stop_words == "auto" or (stop_words == "english" and lang == "en")
        out[lang] = {
            "script": "Latin" if lang == "en" else "Cyrillic",
            "stop_words": sources[lang] if uses_list else "none",
            "n_stop_words": len(stop_words_of(lang)) if uses_list else 0,
            "lemmas": f"simplemma {version('simplemma')}"
            if lemmatize and lang in LEMMATIZED
            else "none (codebook stems match its words)"
            if lang == "kk"
            else "none",
        }
    return out
