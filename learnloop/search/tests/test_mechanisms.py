"""The failure-mechanism lexicon: many wordings, one concept."""

from learnloop.search import mechanisms
from learnloop.search.mechanism_lexicon import LEXICON
from learnloop.search.mechanisms import concepts_for, token_for


def test_it_matches_different_wordings_of_certificate_expiry():
    for text in (
        "The TLS certificate expired on Sunday",
        "our cert had lapsed",
        "the CA reached the end of its validity window",
    ):
        found = concepts_for(text)
        assert "tls" in found, text
        assert "expiry" in found, text


def test_it_recognises_thundering_herd_wordings():
    assert "retry_storm" in concepts_for("a thundering herd of clients")
    assert "retry_storm" in concepts_for("every client reconnected at the same time")
    assert "retry_storm" in concepts_for("Retries amplified the load")


def test_it_recognises_clock_problems():
    assert "clock" in concepts_for("a leap second was inserted")
    assert "clock" in concepts_for("bug around daylight saving time")


def test_proximity_patterns_need_both_parts_close_together():
    assert "security_breach" in concepts_for("an api key was leaked on a forum")
    far = "the key " + "filler " * 20 + "leaked"
    assert "security_breach" not in concepts_for(far)


def test_unrelated_text_has_few_or_no_concepts():
    assert concepts_for("") == []
    assert concepts_for("We baked a lemon cake for the picnic") == []


def test_concept_tokens_are_single_alphabetic_words_and_invertible():
    for concept in LEXICON:
        tok = token_for(concept)
        assert tok.isalpha() and tok.islower()
        assert mechanisms.concept_for_token(tok) == concept
        assert mechanisms.label(concept)


def test_it_is_total_on_hostile_text():
    concepts_for("🔥" * 1000 + "\x00" + "a" * 10_000)
