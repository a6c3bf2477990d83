"""The intake form's upload stash: ``common.stash``, where it moved so other forms (the
inspection form of supervision) keep their uploads the same way. Kept as a name so the
intake page, its task and its tests read as before."""

from common.stash import (  # noqa: F401  (re-exported)
    Kept,
    Saved,
    as_uploads,
    clear,
    cleared_message,
    load,
    new_token,
    refused_message,
    remove_expired,
    save,
    valid_token,
)
