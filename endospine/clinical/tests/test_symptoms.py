"""Case-by-case vignettes for the shared free-text symptom detector (no database).

Each case is what a patient might type, and the exact set of codes that must come back.
Sources of each code's level: docs/symptom-detector.md.
"""

from pathlib import Path

import pytest

from endospine.clinical.symptoms import (
    SymptomFinding,
    detect,
    highest_level,
    lexicon,
    unprotected_words,
)

EMERGENCY = {
    "collapse",
    "opioid_toxicity",
    "allergic_reaction",
    "arm_weakness",
    "meningism",
    "bleeding_uncontrolled",
    "chest_pain",
    "short_of_breath",
    "coughing_blood",
    "confusion",
    "saddle_numbness",
    "bladder_retention",
    "bladder_incontinence",
    "bowel_incontinence",
    "new_weakness",
}
URGENT = {
    "fever",
    "chills",
    "dressing_soaked",
    "wound_drainage_after_day_5",
    "vomiting_no_fluids",
    "pain_worsening",
    "leg_pain_worse_than_before",
    "wound_pus",
    "wound_redness_spreading",
    "wound_open",
    "clear_fluid_leak",
    "headache_upright",
    "calf_pain_swelling",
    "pain_uncontrolled",
    "new_numbness",
    "vomiting_persistent",
    "fall",
}


def codes(text: str, **kwargs: float) -> set[str]:
    return {f.code for f in detect(text, **kwargs)}


# --- Every code, in lay words ----------------------------------------------------------------
FIRES = [
    # emergency
    ("I have chest pain since this morning", {"chest_pain"}),
    ("My chest feels really tight", {"chest_pain"}),
    ("there's a crushing pain in my chest", {"chest_pain"}),
    ("I'm short of breath", {"short_of_breath"}),
    ("I can't catch my breath when I walk to the kitchen", {"short_of_breath"}),
    ("struggling to breathe", {"short_of_breath"}),
    ("I coughed up some blood this morning", {"coughing_blood"}),
    ("there is blood in my phlegm", {"coughing_blood"}),
    ("My husband says I am confused and I don't know where I am", {"confusion"}),
    ("my speech is slurred", {"confusion"}),
    ("my groin feels numb", {"saddle_numbness"}),
    ("numbness around my bottom and inner thighs", {"saddle_numbness"}),
    ("My private parts are tingling and numb", {"saddle_numbness"}),
    ("I can't feel it when I wipe", {"saddle_numbness"}),
    ("I can't pee", {"bladder_retention"}),
    ("haven't passed urine since yesterday", {"bladder_retention"}),
    ("I have no urge to wee at all", {"bladder_retention"}),
    ("I am unable to urinate", {"bladder_retention"}),
    ("I wet myself twice today", {"bladder_incontinence"}),
    ("I keep wetting the bed", {"bladder_incontinence"}),
    ("I've lost control of my bladder", {"bladder_incontinence"}),
    ("I pooed myself and didn't feel it", {"bowel_incontinence"}),
    ("I lost control of my bowels", {"bowel_incontinence"}),
    ("lost control of my bladder and bowels", {"bladder_incontinence", "bowel_incontinence"}),
    ("I cannot move my legs", {"new_weakness"}),
    ("my left foot is dragging, the physio called it foot drop", {"new_weakness"}),
    ("my legs keep giving way", {"new_weakness"}),
    ("my right leg has gone weak", {"new_weakness"}),
    ("I can't lift my foot up", {"new_weakness"}),
    # urgent
    ("I have a fever", {"fever"}),
    ("feeling feverish with chills", {"fever", "chills"}),
    ("I've got a temperature", {"fever"}),
    ("There is pus coming out of the wound", {"wound_pus"}),
    ("yellow discharge on the dressing and it smells", {"wound_pus"}),
    ("my incision looks infected", {"wound_pus"}),
    ("the redness around my scar is spreading", {"wound_redness_spreading"}),
    ("My wound is red and hot", {"wound_redness_spreading"}),
    ("my wound has opened up", {"wound_open"}),
    ("two stitches came out and the edges are apart", {"wound_open"}),
    ("clear fluid is leaking from my wound", {"clear_fluid_leak"}),
    ("my dressing keeps getting soaked with watery fluid", {"clear_fluid_leak"}),
    ("I get a headache when I sit up that goes away when I lie down", {"headache_upright"}),
    ("bad headache whenever I stand, better lying flat", {"headache_upright"}),
    ("my left calf is swollen and sore", {"calf_pain_swelling"}),
    ("pain in my calf and it feels warm", {"calf_pain_swelling"}),
    ("the painkillers aren't working", {"pain_uncontrolled"}),
    ("my pain is 9/10", {"pain_uncontrolled"}),
    ("the pain is unbearable", {"pain_uncontrolled"}),
    ("pain not controlled by the medication", {"pain_uncontrolled"}),
    ("it hurts ten out of ten", {"pain_uncontrolled"}),
    ("I have new numbness in my right foot", {"new_numbness"}),
    ("the tingling in my leg is spreading", {"new_numbness"}),
    ("I can't stop vomiting", {"vomiting_persistent"}),
    (
        "I've been throwing up all night and can't keep anything down",
        {"vomiting_persistent", "vomiting_no_fluids"},
    ),
    ("I fell in the bathroom this morning", {"fall"}),
    ("had a fall on the stairs yesterday", {"fall"}),
    ("my legs feel wobbly", {"new_weakness"}),
    ("pain 10", {"pain_uncontrolled"}),
    ("My wound might be infected", {"wound_pus"}),
    ("my leg is swollen after the long flight", {"calf_pain_swelling"}),
    ("I'm not able to pee properly", {"bladder_retention"}),
    ("my feet have been numb since the op", {"new_numbness"}),
    ("Fever - no. Pins and needles - yes, in my left foot since this morning", {"new_numbness"}),
    ("had chest pain yesterday", {"chest_pain"}),  # a past report still fires
    ("my wife says I'm confused", {"confusion"}),
    ("I have a slight temperature", {"fever"}),
]

# More lay phrasings of the emergencies: under-calling one of these is the worst error.
EMERGENCY_LAY = [
    ("I need to pee but nothing comes out", "bladder_retention"),
    ("I don't feel when I need to go to the toilet", "bladder_retention"),
    ("haven't had a wee for 12 hours", "bladder_retention"),
    ("my bladder feels full but I can't go", "bladder_retention"),
    ("I peed without knowing", "bladder_incontinence"),
    ("my pants were wet and I didn't notice", "bladder_incontinence"),
    ("poo came out without me knowing", "bowel_incontinence"),
    ("i have no feeling in my bum", "saddle_numbness"),
    ("it feels strange down below", "saddle_numbness"),
    ("I can't feel the toilet paper when I wipe", "saddle_numbness"),
    ("my foot slaps when I walk", "new_weakness"),
    ("my knee keeps buckling", "new_weakness"),
    ("I'm paralysed from the waist down", "new_weakness"),
    ("I'm gasping for air", "short_of_breath"),
    ("I think I'm having a heart attack", "chest_pain"),
    ("spitting up blood", "coughing_blood"),
    ("he is talking nonsense", "confusion"),
    ("my husband doesn't know where he is", "confusion"),
]


@pytest.mark.parametrize(("text", "code"), EMERGENCY_LAY)
def test_emergencies_in_more_lay_words(text: str, code: str) -> None:
    assert code in codes(text)
    assert highest_level(detect(text)) == "emergency"


URGENT_LAY = [
    ("I can see a gap in my wound", "wound_open"),
    ("watery stuff is dripping from my back", "clear_fluid_leak"),
    ("there's fluid leaking from where they operated", "clear_fluid_leak"),
    ("my left leg is much bigger than my right", "calf_pain_swelling"),
    ("my temperature is high", "fever"),
    ("the incision is oozing yellow gunk", "wound_pus"),
    ("there are red lines going up my back", "wound_redness_spreading"),
    ("my head is killing me when I sit up", "headache_upright"),
    ("painkillers don't touch it", "pain_uncontrolled"),
    ("been sick 5 times today", "vomiting_persistent"),
    ("I took a tumble", "fall"),
]


@pytest.mark.parametrize(("text", "code"), URGENT_LAY)
def test_urgent_problems_in_more_lay_words(text: str, code: str) -> None:
    assert codes(text) == {code}


@pytest.mark.parametrize(("text", "expected"), FIRES)
def test_each_code_fires_on_lay_words(text: str, expected: set[str]) -> None:
    assert codes(text) == expected


# --- Temperatures: C and F, both sides of the threshold -------------------------------------
TEMPERATURES = [
    ("my temperature is 38.5", 38.0, True),
    ("38.5C this morning", 38.0, True),
    ("it was 38.5 °C", 38.0, True),
    ("temp of 39", 38.0, True),
    ("my temp is 101 F", 38.0, True),
    ("thermometer says 101.3 degrees", 38.0, True),
    ("it read 102.2", 38.0, True),
    ("temperature 100.4F", 38.0, True),  # exactly 38.0 C: at the threshold fires
    ("temperature 37.9", 38.0, False),
    ("my temperature was 99.5 F", 38.0, False),
    ("I feel feverish but my temperature is 37.4", 38.0, False),  # a stated value decides
    ("101 F", 38.3, True),  # 38.33 C
    ("38.2 C", 38.3, False),
    ("38.5", 38.6, False),
    ("101.5 F", 38.6, True),  # 38.61 C
    ("temp 38,7", 38.0, True),  # decimal comma
    ("I'm 39 years old and my back is sore", 38.0, False),  # a bare whole number is an age
    ("It's 38 degrees outside and I'm fine", 38.0, False),  # the weather, not the patient
    ("I'm running a temperature of 37.2", 38.0, False),
    ("Temp was 38.1 yesterday, today 37.0", 38.0, True),  # the highest stated value counts
    ("39.5 degrees", 38.0, True),
    ("99 F", 38.0, False),
    ("feverish, sats 95.5", 38.0, True),  # oxygen, not a temperature: the word decides
    ("my oxygen is 96.5% and I feel feverish", 38.0, True),
    ("feverish, temp 37.4", 38.0, False),  # an explicit reading below the threshold decides
]


@pytest.mark.parametrize(("text", "threshold", "fires"), TEMPERATURES)
def test_temperature_in_c_or_f_against_the_threshold(
    text: str, threshold: float, fires: bool
) -> None:
    assert ("fever" in codes(text, fever_threshold_c=threshold)) is fires


# --- Negation, scoped to the clause ----------------------------------------------------------
NEGATED = [
    ("no fever", set()),
    ("I don't have chest pain", set()),
    ("without any numbness in my groin", set()),
    ("Patient denies shortness of breath", set()),
    ("I'm not short of breath", set()),
    ("the numbness in my foot is no longer there", set()),
    ("neither fever nor chills", set()),
    ("no fever, chills or chest pain", set()),
    ("I haven't had any trouble peeing", set()),
    ("fever: no", set()),
    ("the headache when I stand has gone", set()),
    ("no pus and no redness around the wound", set()),
    ("I do not think I have a temperature", set()),
    # the negation stops at the end of its clause
    ("no fever but I can't pee", {"bladder_retention"}),
    ("I don't have a fever, my wound is leaking clear fluid", {"clear_fluid_leak"}),
    ("no chest pain however I am short of breath", {"short_of_breath"}),
    ("no numbness and now my legs are giving way", {"new_weakness"}),
    ("I couldn't sleep because of the chest pain", {"chest_pain"}),
    ("not sure if it's a fever but I feel hot and shivery", {"fever", "chills"}),
    ("I'm not vomiting any more", set()),
    ("I have been coughing, no blood", set()),
    ("My chest pain went away after an hour", set()),
    ("I no longer have chest pain", set()),
    ("No redness, no swelling, no discharge from the wound", set()),
    ("no chest pain but some tightness in my chest when I breathe", {"chest_pain"}),
    ("I can't tell if I have a fever", {"fever"}),  # an unsure report escalates
]


@pytest.mark.parametrize(("text", "expected"), NEGATED)
def test_negation_is_scoped_to_its_clause(text: str, expected: set[str]) -> None:
    assert codes(text) == expected


# --- General and hypothetical questions must not fire ---------------------------------------
GENERAL = [
    "can I get an infection from it?",
    "what are the warning signs?",
    "is numbness normal after surgery?",
    "what happens if I get a fever?",
    "how common is a dural tear?",
    "What should I do if I can't pee after the operation?",
    "Is it normal to have a headache when standing after spinal surgery?",
    "How do I know if my wound is infected?",
    "what is the risk of a blood clot?",
    "Will my legs feel weak after the op?",
    "Can you lose bladder control after spine surgery?",
    "Some people get a fever after surgery.",
    "How can I prevent a fall at home?",
    "When can I have a shower?",
    "I fell asleep on the sofa",
    "I'm confused about when to take my tablets",
    "Can I drink clear fluids before surgery?",
    "How long does recovery take?",
    "I have fewer headaches now",
    "what does chest pain after surgery mean?",
    "how long will the numbness last",
    "is the numbness in my leg normal?",
    "what should i do if my wound gets red",
    "is it normal to have leg pain after surgery",
    "I'm scared of being paralysed",
    "I'm worried I might get a blood clot",
    "could i lose control of my bladder",
    "is a temperature of 38 normal after surgery",
    "do patients usually feel weak after surgery",
    "what does a csf leak feel like",
    "what if my wound starts leaking",
]


# --- Ordinary recovery notes that are not red flags -------------------------------------------
ROUTINE = [
    "i cant walk far yet",
    "I can't stand for long",
    "I have a headache",
    "I was sick once after the anaesthetic",
    "the wound is a bit pink",
    "there's a little bit of blood on the dressing",
    "the dressing is wet from the shower",
    "my temperature is normal",
    "i have a bit of numbness in my toes still",
    "the numbness is the same as before surgery",
    "no issues, pain 2/10",
    "my pain is about a 7",
    "I'm 38 weeks pregnant",
    "pain 10 days after surgery is much better",
    "the instructions are not making sense",
    "my pants were wet from the shower",
    "is a high temperature normal after surgery?",
    "Coughing up green phlegm",
]


@pytest.mark.parametrize("text", ROUTINE)
def test_routine_recovery_notes_do_not_fire(text: str) -> None:
    assert codes(text) == set()


@pytest.mark.parametrize("text", GENERAL)
def test_general_or_hypothetical_questions_do_not_fire(text: str) -> None:
    assert codes(text) == set()


# --- A first-person report inside a question fires -------------------------------------------
REPORTS_IN_QUESTIONS = [
    ("I can't pee, should I worry?", {"bladder_retention"}),
    ("my wound is leaking clear fluid, is that ok?", {"clear_fluid_leak"}),
    ("Is it normal that I have a fever of 38.6?", {"fever"}),
    ("why can't I pee?", {"bladder_retention"}),
    ("should I go to A&E, my groin is numb", {"saddle_numbness"}),
    ("Why is my wound leaking pus?", {"wound_pus"}),
    ("what should I do about the pain in my calf?", {"calf_pain_swelling"}),
    ("I've had chest pain since last night, do I need to see someone?", {"chest_pain"}),
    ("I'm worried about the pus in my wound", {"wound_pus"}),
    ("I'm afraid I have a fever", {"fever"}),
    ("why do i have pins and needles in my foot", {"new_numbness"}),
]


@pytest.mark.parametrize(("text", "expected"), REPORTS_IN_QUESTIONS)
def test_first_person_report_inside_a_question_fires(text: str, expected: set[str]) -> None:
    assert codes(text) == expected


# --- Typos, British and American spelling -----------------------------------------------------
SPELLING = [
    ("numbess in my groin", {"saddle_numbness"}),
    ("I have a feaver", {"fever"}),
    ("my tempreture is 38.9", {"fever"}),
    ("can't urinte", {"bladder_retention"}),
    ("I'm vomitting and can't stop", {"vomiting_persistent"}),
    ("swolen calf", {"calf_pain_swelling"}),
    ("clear fluid from the incison", {"clear_fluid_leak"}),
    ("My legs are paralysed", {"new_weakness"}),
    ("I've lost control of my faeces", {"bowel_incontinence"}),
    ("faecal incontinence since yesterday", {"bowel_incontinence"}),
    ("I can't go to the loo, nothing comes out when I try to wee", {"bladder_retention"}),
    ("I'm disorientated", {"confusion"}),
    ("agonising pain", {"pain_uncontrolled"}),
]


@pytest.mark.parametrize(("text", "expected"), SPELLING)
def test_typos_and_british_or_american_spelling(text: str, expected: set[str]) -> None:
    assert codes(text) == expected


# --- Mixed clauses and several findings ------------------------------------------------------
MIXED = [
    (
        "No chest pain. My temperature is 38.4 and there's yellow stuff on the dressing.",
        {"fever", "wound_pus"},
    ),
    ("My legs gave way and I fell", {"new_weakness", "fall"}),
    ("calf swollen and now I'm short of breath", {"calf_pain_swelling", "short_of_breath"}),
    ("Wound looks fine, no fever. I can't feel my bottom", {"saddle_numbness"}),
    ("Numbness in my foot is slowly fading, no other problems", set()),
    ("A little red around the scar but no pus", set()),
    ("The nurse said some numbness is normal. My foot is still a bit numb.", set()),
]


@pytest.mark.parametrize(("text", "expected"), MIXED)
def test_mixed_clauses(text: str, expected: set[str]) -> None:
    assert codes(text) == expected


# --- The contract --------------------------------------------------------------------------
def test_findings_are_deduplicated_and_emergency_first() -> None:
    findings = detect("fever and chills, I have a fever. I can't pee and I can't pee.")
    assert [f.code for f in findings] == ["bladder_retention", "fever", "chills"]
    assert [f.level for f in findings] == ["emergency", "urgent", "urgent"]


def test_evidence_quotes_the_patients_own_words() -> None:
    (finding,) = detect("Since Tuesday I CAN'T PEE at all")
    assert finding == SymptomFinding("bladder_retention", "emergency", "CAN'T PEE")
    (temp,) = detect("temp of 101.3 degrees F")
    assert temp.evidence == "temp of 101.3 degrees F"


def test_highest_level() -> None:
    assert highest_level([]) is None
    assert highest_level(detect("I have a fever")) == "urgent"
    assert highest_level(detect("I have a fever and chest pain")) == "emergency"


def test_empty_and_blank_text() -> None:
    assert detect("") == []
    assert detect("   \n ") == []


def test_lexicon_codes_and_levels_match_the_contract() -> None:
    levels = {c.code: c.level for c in lexicon().codes}
    assert {k for k, v in levels.items() if v == "emergency"} == EMERGENCY
    assert {k for k, v in levels.items() if v == "urgent"} == URGENT
    assert {k for k, v in levels.items() if v == "review"} == {"constipation"}


DICTIONARIES = [Path("/usr/share/dict/american-english"), Path("/usr/share/dict/british-english")]


@pytest.mark.skipif(not all(p.exists() for p in DICTIONARIES), reason="needs wamerican, wbritish")
def test_typo_correction_never_turns_a_real_word_into_a_symptom_word() -> None:
    words = {
        w.strip().lower()
        for p in DICTIONARIES
        for w in p.read_text(encoding="utf-8", errors="ignore").split()
        if w.isascii()
    }
    missing = sorted(unprotected_words(lexicon(), words))
    assert not missing, f"add to `protected:` in content/symptoms/lexicon.yaml: {missing}"


# --- Issue 10: chills are their own code, which a normal temperature does not switch off ------
def test_chills_fire_although_a_stated_temperature_is_normal() -> None:
    found = codes("shivering and shaking, temp 37.1 after paracetamol")
    assert "chills" in found and "fever" not in found


def test_an_elliptic_report_opened_by_had_is_a_statement() -> None:
    assert codes("Had a fall this morning") == {"fall"}
    assert codes("Had a funny turn and went down") == {"collapse"}
