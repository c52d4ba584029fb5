"""Reference retention rules shipped with Lotse: one standard period per data kind.

Each rule states its legal reference, the start event and, in `source_note`, the reasoning and
what the data-protection officer has to decide. Loaded by `lotse load_reference_data`
(idempotent); districts correct them in the dated-rule data, never in code.
"""

import datetime

D = datetime.date
GDPR = D(2018, 5, 25)

# kind, months, start event, legal reference, reasoning and open questions
RULES = [
    ("counselling_notes", 24, "Case closed",
     "Art. 5 Abs. 1 lit. c, e, Art. 17 Abs. 1 lit. a DSGVO; § 203 StGB",
     "Shortest class: notes of counselling (possibly Art. 9 data) are needed while the case is "
     "open and for a short follow-up after closure (a person returning). No statute sets a "
     "period for counselling notes of welfare associations or municipal integration "
     "management. Uncertain: funders (e.g. MBE, KIM) may require notes as proof of work; if "
     "so, the DPO should ask whether aggregate proof suffices before lengthening the period."),
    ("case_file", 60, "Case closed",
     "Art. 5 Abs. 1 lit. e DSGVO; § 84 Abs. 2 SGB X; ANBest-P Nr. 6.5 (5 years for funded "
     "projects' records)",
     "A case file (intake, plan, tasks, conferences, documents) serves the case and the audit "
     "of funded work; funders' terms keep records five years after the proof of use. Start is "
     "the closure date, not the end of the year (stricter). Uncertain: an agency with its own "
     "archive statute (Archivgesetz NRW § 4: offer to the public archive before deletion) "
     "must offer the files first; Lotse does not do that yet."),
    ("consent_proof", 36, "Consent revoked, expired, or all files on the person closed",
     "Art. 7 Abs. 1 DSGVO (proof of consent); §§ 195, 199 BGB (three-year limitation)",
     "The controller must be able to prove a consent for as long as claims about processing "
     "based on it can be made: the regular limitation period of three years. § 199 BGB starts "
     "it at the end of the year; Lotse counts from the event itself and the DPO may prefer "
     "the year end. The signed form (scan) goes with the record."),
    ("emergency_access", 36, "Emergency access expired",
     "Art. 5 Abs. 2, Art. 32 DSGVO (accountability); §§ 195, 199 BGB",
     "The written reason of an emergency access must be reviewable by the DPO and available "
     "for claims for three years. The access-log entries keep the override's id only."),
    ("referral", 36, "Referral answered, done or withdrawn",
     "Art. 5 Abs. 1 lit. e DSGVO; § 67d SGB X (transfers)",
     "The referral documents a transfer between agencies; each side keeps its own case file "
     "for longer. Three years follow the limitation period for claims about the transfer. "
     "Uncertain: whether the receiving agency treats the referral as part of its case file."),
    ("benefits_handover", 60, "Change of benefits regime completed or cancelled",
     "§ 113 SGB X (four-year limitation of reimbursement claims between benefit agencies, "
     "from the end of the year); § 84 Abs. 2 SGB X",
     "Reimbursement claims between the offices (§§ 102 ff. SGB X) can be raised for four "
     "years from the end of the year: five years from closure cover that."),
    ("appointment", 12, "Appointment held or its window passed",
     "Art. 5 Abs. 1 lit. c, e DSGVO",
     "Appointment data is needed to plan, to follow up no-shows and to answer questions "
     "about an invitation; one year covers the follow-up of an eAT title. The residence "
     "status itself is kept by its own rule."),
    ("residence_snapshot", 60, "Foreigners' authority's file on the person closed",
     "§ 91 AufenthG; § 86 AufenthG; Art. 5 Abs. 1 lit. e DSGVO",
     "Lotse holds a snapshot of the residence status for coordination; the foreigners' "
     "authority's specialist procedure is the record of reference with its own periods. "
     "Five years after the file closed (moved away, naturalised) follow the case files. "
     "Uncertain: the DPO should check whether the snapshot can go earlier, right after the "
     "file closes."),
    ("benefits_record", 60, "Responsible office's file on the person closed",
     "§ 84 Abs. 2 SGB X; § 50 SGB X, § 113 SGB X (four years)",
     "Which office paid which regime when is needed for refunds and reimbursement claims "
     "(four years from the end of the year)."),
    ("master_data", 60, "All files on the person closed; erased only when no other record "
     "(case, consent, referral, change of regime, appointment, hold …) remains",
     "Art. 5 Abs. 1 lit. e, Art. 17 Abs. 1 lit. a DSGVO; § 84 Abs. 2 SGB X",
     "Master data goes last: it is kept while any other record of the person is kept (the "
     "sweep checks that nothing remains), and at least five years after the last file "
     "closed, matching the case files."),
    ("legal_hold", 36, "Hold lifted",
     "Art. 18 DSGVO; § 84 Abs. 3 SGB X; Art. 5 Abs. 2 DSGVO",
     "The record that data was restricted, why and by whom, proves the restriction for three "
     "years after it ended."),
    ("staff_account", 36, "Account deactivated and last login (or creation) passed",
     "Art. 88 DSGVO; § 26 BDSG; Art. 5 Abs. 2 DSGVO",
     "The access log names staff by id; the id must stay resolvable to a name as long as the "
     "log is reviewed (three years). Then the account is anonymised, not deleted: other "
     "records point to it."),
    ("run_report", 12, "Run finished (permit import, assignment run, bulk change, daily run)",
     "Art. 5 Abs. 1 lit. c, e, Abs. 2 DSGVO",
     "The report of a run (rows refused by line number, persons skipped by id, counts) is "
     "needed to check and repeat the run and to answer questions about it; what the run "
     "changed is in the records themselves and in the access log. One year covers a yearly "
     "review. For a daily run only the report of the last run is cleared, the schedule stays. "
     "Uncertain: whether a funder or the audit office asks for import reports for longer."),
    ("task_result", 3, "Background task queued (progress: last change)",
     "Art. 5 Abs. 1 lit. c, e DSGVO",
     "A task's progress and result are shown to the user who started it; a few weeks are "
     "enough to read them. The effects of a task are logged elsewhere. Queued and running "
     "tasks are kept."),
    ("login_record", 3, "Login attempt",
     "Art. 5 Abs. 1 lit. c, e, Art. 32 DSGVO; § 26 BDSG",
     "User names and IP addresses of logins and failed attempts (django-axes) serve the "
     "throttling of password guessing and the investigation of attacks on accounts. Three "
     "months follow common practice for security logs; the DPO and the information-security "
     "officer may agree a shorter period. Removing old failed attempts also ends their count "
     "for the throttling, which lasts minutes."),
    ("access_log", 36, "Entry written",
     "Art. 5 Abs. 2, Art. 32 DSGVO; § 76 BDSG (by analogy)",
     "Target period, NOT enforced: the access log is a hash chain and is kept whole. It holds "
     "ids and codes only, never names or free text. Pruning would cut the chain at a signed "
     "checkpoint older than the period and keep that checkpoint as the new genesis; the DPO "
     "decides whether that is wanted. Known limit."),
]


def _covered(versions, valid_from) -> bool:
    """A shipped version is there if one with its start exists, or if a version starting
    later exists (the district has versioned the rule since)."""
    return versions.filter(valid_from__gte=valid_from).exists()


def load_rules() -> None:
    from lotse.retention.models import RetentionRule

    for kind, months, start, reference, note in RULES:
        if not _covered(RetentionRule.objects.filter(kind=kind), GDPR):
            RetentionRule.objects.create(
                kind=kind, period_months=months, start_event=start, legal_reference=reference,
                source_note=note, valid_from=GDPR)
