"""The ask engine, case by case, without the database."""

from pathlib import Path

import pytest

from endospine.learn.content import load_lexicon, parse_folders, passages_of
from endospine.learn.engine import AskEngine, Lexicon, Passage, Speller, damerau, stem

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def engine() -> AskEngine:
    articles = parse_folders([ROOT / "content" / "knowledge"])
    return AskEngine(
        passages_of(articles), load_lexicon(ROOT / "content" / "lexicon" / "synonyms.yaml")
    )


def top_topic(engine: AskEngine, question: str) -> str:
    hits = engine.search(question, limit=1)
    assert hits, question
    return hits[0].passage.topic


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("how long does the surgery take", "surgery_duration"),
        ("can I go home the same day", "hospital_stay"),
        ("will there be a scar", "incision_and_scar"),
        ("what are the risks", "risks_and_complications"),
        ("do i need physio afterwards", "physical_therapy"),
    ],
)
def test_plain_questions_find_their_topic(engine: AskEngine, question: str, topic: str) -> None:
    assert top_topic(engine, question) == topic


def test_lay_words_reach_clinical_passages_through_the_lexicon(engine: AskEngine) -> None:
    plan = engine.plan("can it fix my slipped disc")
    assert any("herniat" in token for group in plan.expansions for token in group)
    assert top_topic(engine, "can it fix my slipped disc") == "conditions_treated"


def test_british_and_american_spellings_give_the_same_answer(engine: AskEngine) -> None:
    british = engine.search("general anaesthetic or local", limit=3)
    american = engine.search("general anesthetic or local", limit=3)
    assert [h.passage.key for h in british] == [h.passage.key for h in american]
    assert british[0].passage.topic == "anesthesia"


def test_typos_are_corrected_to_known_words(engine: AskEngine) -> None:
    plan = engine.plan("how long does the operaton last")
    assert ("operaton", "operation") in plan.corrections
    assert top_topic(engine, "how long does the operaton last") == "surgery_duration"
    assert top_topic(engine, "how succesful is it") == "success_and_durability"


def test_nonsense_returns_no_answers(engine: AskEngine) -> None:
    assert engine.search("zzzz qqqq", limit=5) == []


def test_results_are_best_first_and_limited(engine: AskEngine) -> None:
    hits = engine.search("recovery after keyhole surgery", limit=4)
    assert len(hits) == 4
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_patient_words_outweigh_synonyms() -> None:
    passages = [
        Passage("a#1", "a", "A", "Scar", "incision_and_scar", "the scar is small"),
        Passage("b#1", "b", "B", "Cut", "incision_and_scar", "the cut is small"),
    ]
    engine = AskEngine(passages, Lexicon(groups=[["scar", "cut"]]))
    assert [h.passage.key for h in engine.search("scar")] == ["a#1", "b#1"]


def test_stemmer_joins_word_forms() -> None:
    assert stem("operations") == stem("operated") == stem("operating") == stem("operation")
    assert stem("recovery") == stem("recover")
    assert stem("discs") == stem("disc")


def test_damerau_counts_a_swap_as_one_edit() -> None:
    assert damerau("hte", "the", 2) == 1
    assert damerau("recovery", "recovery", 1) == 0
    assert damerau("abc", "xyz", 1) == 2


def test_speller_leaves_known_and_short_words_alone() -> None:
    speller = Speller({"recovery": 3, "scar": 2})
    assert speller.correct("recovery") is None
    assert speller.correct("scr") is None
    assert speller.correct("recovry") == "recovery"
    assert speller.correct("rceovery") == "recovery"


def test_lexicon_rejects_a_one_phrase_group() -> None:
    with pytest.raises(ValueError, match="group 1"):
        Lexicon.from_dict({"groups": [["alone"]]})


def test_engine_needs_passages() -> None:
    with pytest.raises(ValueError):
        AskEngine([], Lexicon())


def test_a_lay_word_missing_from_the_articles_is_bridged_at_a_higher_weight() -> None:
    from endospine.learn.engine import BRIDGE_WEIGHT, EXPANSION_WEIGHT

    passages = [
        Passage("a#1", "a", "A", "Risks", "risks_and_complications", "nerve damage is rare"),
        Passage("b#1", "b", "B", "Scar", "incision_and_scar", "the scar is small"),
    ]
    engine = AskEngine(passages, Lexicon(groups=[["nerve damage", "paralysed"], ["scar", "rare"]]))
    unknown = engine.plan("could i be paralysed")
    assert unknown.weights == (BRIDGE_WEIGHT,)
    assert engine.search("could i be paralysed")[0].passage.key == "a#1"
    known = engine.plan("scar")  # "scar" is in the articles: the synonym gets the ordinary weight
    assert (known.expansions, known.weights) == ((("rare",),), (EXPANSION_WEIGHT,))
