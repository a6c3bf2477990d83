"""Confidential fields of the complaints app (see efficiency_portal.privacy).

The complainant's identity is shown to agencies only with consent and then masked
(complaints.privacy); the two digests are secrets: the query code's opens the case
to whoever holds the code, and the submission key's ties a filing to the browser
that sent it. None of them may ever be a filter, search or sort key, nor exported.
"""

CONFIDENTIAL = {
    "complaints.Complaint": (
        "complainant_name",
        "complainant_phone",
        "complainant_id_number",
        "complainant_email",
        "query_code_hash",
        "submission_key_hash",
    ),
}
