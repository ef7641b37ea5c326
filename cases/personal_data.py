"""Every text field of every model, and what anonymising a household does with it: one table.

ERASED lists each field that can hold a name, an address, a phone number or free text, with
what replaces it when a household is anonymised (cases.privacy): its own records, what the
workflow and the money keep about it, the committees that examined it. Their history follows
the same table: the same fields are erased in each model's history table, and so are the
reasons typed for each change (`history_change_reason`) of every model listed, even one with
no text of its own.

KEPT lists every other text field and why it may stay: a code from a fixed list, the case's
pseudonymous reference, an address inside the application, or something about the programme's
organisations and staff rather than a household.

Models are named by their label, so that the table also covers the apps above the case
(funding) without importing them; they hand over their rows about a household through
cases.privacy.declare_records_held. tests/cases/test_personal_data.py fails when a model has a
text column in neither table: a field added later cannot escape the decision."""

ANONYMOUS = "Anonymisé"

ERASED: dict[str, dict[str, str]] = {
    "households.household": {
        "name": ANONYMOUS,
        "tenant_number": "",
        "address": "",
        "postcode": "",
        "city": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
    },
    "households.householdmember": {"first_name": "", "last_name": ANONYMOUS, "occupation": ""},
    "households.landlordchange": {"reason": ""},
    # Typed by the coordination when it merges a duplicate into the file kept.
    "households.householdmerge": {"reason": ""},
    "households.diagnostic": {
        "composition": "",
        "other_debts_detail": "",
        "health_needs": "",
        "employment_needs": "",
        "other_needs": "",
        "conclusion": "",
    },
    "actions.orientation": {"reason": ""},
    # Records about a household with no text of their own: the reasons typed in their
    # history are erased all the same.
    "actions.action": {},
    "actions.rentreduction": {},
    "actions.arrearsreading": {},
    "actions.evictionprocedure": {
        "court": "",
        "dsf_tenant_observations": "",
        "dsf_landlord_observations": "",
    },
    "actions.slidinglease": {
        "address": "",
        "postcode": "",
        "city": "",
        "dwelling_type": "",
        "new_lease_reference": "",
        "end_detail": "",
    },
    "actions.leasereview": {"observations": ""},
    "actions.supportmeasure": {"outcome_detail": ""},
    "actions.measureobjective": {"text": ANONYMOUS},
    "actions.followup": {"summary": "", "next_step": ""},
    "actions.appointment": {"place": "", "notes": ""},
    "actions.outreachrequest": {"reason": "", "answer_reason": ""},
    "codecision.codecision": {"reason": "", "arbitration_comment": ""},
    "codecision.codecisionanswer": {"comment": ""},
    # A committee examines several households: its notes and its outside participants go as
    # soon as one of them is anonymised (they may name it, and cannot be cut apart).
    "codecision.committeesession": {"other_participants": "", "notes": ""},
    "cases.subjectaccessrequest": {"requester": ANONYMOUS, "basis_detail": ""},
    # The files themselves leave the storage first (documents.services.documents_erase_files).
    "documents.document": {"title": ANONYMOUS},
    "documents.documentversion": {"file_name": "", "sha256": ""},
    # Typed by coordinators (a correction's reason is copied into its label). The ledger is
    # append-only: anonymisation is the one change it accepts, its labels, never its amounts.
    "funding.ledgerentry": {"label": ANONYMOUS, "reason": ""},
}

CODE = "a code from a fixed list"
STAFF = "about the programme's organisations and staff, not a household"
WRITTEN_BY_THE_APPLICATION = "written by the application from the reference and dates, never typed"

KEPT: dict[str, dict[str, str]] = {
    # The application's own bookkeeping: task names, job names, request keys and addresses,
    # never typed by a user about a household.
    "core.outboxmessage": {"task": CODE},
    "core.dailyrun": {"job": CODE},
    "core.idempotentrequest": {
        "owner": "who sent the request: a user's or a token's id",
        "key": "a random key the browser or the client chose",
        "path": "the address of a page of the application",
        "location": "the address of a page of the application",
        "content_type": CODE,
    },
    "households.household": {
        "reference": "the case's pseudonymous reference, kept for the statistics",
        "housing_status": CODE,
    },
    "households.householdmember": {"relationship": CODE},
    "households.landlordchange": {"kind": CODE},
    "households.householdmerge": {
        "kept_reference": "the pseudonymous reference of the file kept",
        "merged_reference": "the pseudonymous reference of the file merged into it",
    },
    "households.diagnostic": {
        "fsl_status": CODE,
        "overindebtedness_status": CODE,
        "repayment_plan_status": CODE,
        "energy_label": CODE,
        "procedure_stage": CODE,
        "proposed_action": CODE,
    },
    "households.accesslogentry": {
        "action": CODE,
        "path": "the address of a page of the application (without its query string)",
    },
    "actions.orientation": {"kind": CODE},
    "actions.action": {
        "kind": CODE,
        "status": CODE,
        "energy_label": "a letter from A to G (energy label)",
        "fsl_status": CODE,
        "overindebtedness_status": CODE,
        "solvency_target": CODE,
    },
    "actions.supportmeasure": {"status": CODE, "outcome": CODE},
    "actions.evictionprocedure": {
        "payment_order_delay": CODE,
        "judgement_kind": CODE,
        "judgement_outcome": CODE,
        "end_reason": CODE,
    },
    "actions.slidinglease": {"mode": CODE, "end_reason": CODE},
    "actions.dwelling": {
        "address": "a dwelling the association holds, not a household's own record",
        "postcode": STAFF,
        "city": STAFF,
        "dwelling_type": CODE,
    },
    "actions.measureobjective": {"status": CODE},
    "actions.followup": {"kind": CODE},
    "actions.appointment": {"kind": CODE, "status": CODE},
    "actions.outreachrequest": {"status": CODE},
    "codecision.codecision": {
        "kind": CODE,
        "purpose": CODE,
        "status": CODE,
        "landlord_answer": CODE,
        "association_answer": CODE,
    },
    "codecision.codecisionanswer": {"side": CODE, "answer": CODE},
    "codecision.committeeitem": {
        "decision": CODE,
        "landlord_answer": CODE,
        "association_answer": CODE,
    },
    "cases.subjectaccessrequest": {"basis": CODE},
    "documents.document": {"kind": CODE, "procedure_step": CODE},
    "documents.documentversion": {
        "content_type": "a file type from a fixed list",
        "stored_as": (
            "a name the application made (household id, random part), emptied when "
            "anonymisation removes the file from the storage"
        ),
    },
    "partners.partner": {"name": STAFF, "short_name": STAFF, "kind": CODE},
    "partners.user": {
        "password": STAFF,
        "username": STAFF,
        "first_name": STAFF,
        "last_name": STAFF,
        "email": STAFF,
    },
    "partners.membership": {"role": CODE},
    "partners.apitoken": {"name": STAFF, "key_hash": STAFF, "prefix": STAFF},
    "partners.calendarfeed": {"key_hash": STAFF, "prefix": STAFF},
    "partners.securityevent": {
        "kind": CODE,
        "username": STAFF,
        "ip_address": STAFF,
        "path": "the address of a page of the application",
        "detail": STAFF,
    },
    "notifications.notification": {
        "kind": CODE,
        "text": WRITTEN_BY_THE_APPLICATION,
        "link": "the address of a page of the application",
        "object_type": CODE,
    },
    "notifications.pendingnotice": {
        "kind": CODE,
        "text": WRITTEN_BY_THE_APPLICATION,
        "link": "the address of a page of the application",
        "object_type": CODE,
    },
    "notifications.reminder": {"kind": CODE, "object_type": CODE},
    "notifications.notificationpreference": {"email_mode": CODE},
    "funding.fundingsource": {
        "kind": CODE,
        "funder_name": "a funder, not a household",
        "documents": "the papers of a funding, not of a household",
    },
    "stats.reporttext": {"text": "the coordination's account of the programme's year"},
    "stats.annualreport": {"status": CODE},
    "funding.ledgerentry": {
        "kind": CODE,
        "booking_key": "a technical key made of ids, never of a name",
    },
}

# The columns simple_history adds to every history table.
HISTORY_REASON = "history_change_reason"
HISTORY_KEPT = {"history_type": CODE}


def decision(label: str, field: str) -> str | None:
    """ "erased", "kept", or None when the table says nothing of `label`.`field`."""
    if field in ERASED.get(label, {}):
        return "erased"
    if field in KEPT.get(label, {}):
        return "kept"
    return None


def history_decision(base_label: str, field: str) -> str | None:
    """A history table follows its model; the reason typed for a change is erased wherever
    the model's records are erased."""
    if field == HISTORY_REASON:
        return "erased" if base_label in ERASED else "kept"
    if field in HISTORY_KEPT:
        return "kept"
    return decision(base_label, field)


def history_erased(label: str) -> dict[str, str | None]:
    """What anonymisation writes over the history rows of a model's erased records."""
    return {**ERASED[label], HISTORY_REASON: None}
