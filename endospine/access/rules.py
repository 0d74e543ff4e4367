"""Who may take which action: the permission table, as data.

One permission per action: a new kind of write gets its own `Action`, even
when today the same roles hold it as another, so the two can diverge later
without a hunt through the views.
"""

from enum import StrEnum

from endospine.accounts.models import CLINICAL_ROLES, Role


class Action(StrEnum):
    VIEW_EPISODE = "view_episode"
    CHANGE_STAGE = "change_stage"
    SUBMIT_INTAKE = "submit_intake"
    RECORD_ASSESSMENT = "record_assessment"
    DECIDE_ASSESSMENT = "decide_assessment"
    TICK_PATIENT_ITEM = "tick_patient_item"
    VERIFY_STAFF_ITEM = "verify_staff_item"
    OVERRIDE_GATE = "override_gate"
    WRITE_OPERATIVE_RECORD = "write_operative_record"
    RECORD_DISCHARGE = "record_discharge"
    SUBMIT_CHECKIN = "submit_checkin"
    SUBMIT_PROM = "submit_prom"
    HANDLE_ALERT = "handle_alert"
    VIEW_WORKLIST = "view_worklist"
    REGISTER_PATIENT = "register_patient"
    VIEW_AGGREGATES = "view_aggregates"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    # Send a patient a new one-time sign-in link, or end their sessions.
    HELP_PATIENT_SIGN_IN = "help_patient_sign_in"
    RECORD_ADVERSE_EVENT = "record_adverse_event"
    VERIFY_OUTCOMES = "verify_outcomes"
    WORK_FOLLOWUP = "work_followup"


# Which staff roles may take each action on an episode of their own sites.
_SURGEON_ONLY = frozenset({Role.SURGEON})
_CARE_TEAM = CLINICAL_ROLES
EPISODE_ACTIONS: dict[Action, frozenset[str]] = {
    Action.VIEW_EPISODE: _CARE_TEAM,
    Action.CHANGE_STAGE: _CARE_TEAM,
    Action.SUBMIT_INTAKE: _CARE_TEAM,
    Action.RECORD_ASSESSMENT: _CARE_TEAM,
    Action.DECIDE_ASSESSMENT: _SURGEON_ONLY,
    Action.TICK_PATIENT_ITEM: _CARE_TEAM,
    Action.VERIFY_STAFF_ITEM: _CARE_TEAM,
    Action.OVERRIDE_GATE: _SURGEON_ONLY,
    Action.WRITE_OPERATIVE_RECORD: _SURGEON_ONLY,
    Action.RECORD_DISCHARGE: frozenset({Role.SURGEON, Role.NURSE}),
    Action.SUBMIT_CHECKIN: _CARE_TEAM,
    Action.SUBMIT_PROM: _CARE_TEAM,
    Action.HANDLE_ALERT: _CARE_TEAM,
    Action.HELP_PATIENT_SIGN_IN: _CARE_TEAM,
    Action.RECORD_ADVERSE_EVENT: _CARE_TEAM,
    Action.WORK_FOLLOWUP: _CARE_TEAM,
}
# What a patient may do on their own episode.
PATIENT_ACTIONS = frozenset(
    {
        Action.VIEW_EPISODE,
        Action.SUBMIT_INTAKE,
        Action.TICK_PATIENT_ITEM,
        Action.SUBMIT_CHECKIN,
        Action.SUBMIT_PROM,
    }
)
# Actions that are not about one episode, and the roles that hold them at their sites.
GLOBAL_ACTIONS: dict[Action, frozenset[str]] = {
    Action.VIEW_WORKLIST: _CARE_TEAM,
    Action.REGISTER_PATIENT: _CARE_TEAM,
    Action.HANDLE_ALERT: _CARE_TEAM,
    Action.VIEW_AGGREGATES: frozenset({Role.PROGRAM_LEAD, Role.SURGEON}),
    Action.VIEW_AUDIT: frozenset({Role.ADMIN}),
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.VERIFY_OUTCOMES: _SURGEON_ONLY,
    Action.WORK_FOLLOWUP: _CARE_TEAM,
}
