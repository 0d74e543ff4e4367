"""The fixed topic vocabulary of the knowledge base (codes are part of the public API)."""

TOPICS: dict[str, str] = {
    "what_is_endoscopic_surgery": "What endoscopic surgery is",
    "endoscope_equipment": "The endoscope and instruments",
    "vs_open_surgery": "Compared with open surgery",
    "conditions_treated": "Conditions treated",
    "candidacy": "Who it suits",
    "alternatives": "Alternatives",
    "consultation_and_imaging": "Consultation and scans",
    "preparation": "Preparing for surgery",
    "anesthesia": "Anaesthesia",
    "procedure_steps": "The procedure step by step",
    "surgery_duration": "How long surgery takes",
    "robotics_and_advances": "Robotics and advances",
    "pain_after_surgery": "Pain after surgery",
    "hospital_stay": "Hospital stay",
    "recovery_timeline": "Recovery timeline",
    "return_to_work_and_exercise": "Return to work and exercise",
    "activity_restrictions": "Activity restrictions",
    "physical_therapy": "Physiotherapy",
    "incision_and_scar": "Incision and scar",
    "risks_and_complications": "Risks and complications",
    "warning_signs": "Warning signs",
    "success_and_durability": "Success and how long it lasts",
    "surgeon_experience_and_team": "Surgeon experience and team",
    "follow_up_care": "Follow-up care",
}

# Journey stages an article can belong to, in the order the library shows them.
STAGES: dict[str, str] = {
    "learn": "Learn about the operation",
    "assess": "Assessment",
    "prepare": "Getting ready",
    "operate": "The operation and going home",
    "recover": "Recovery and results",
}

AUDIENCES = ("patient", "carer", "clinician", "all")
