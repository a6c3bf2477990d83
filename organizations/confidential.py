"""Confidential fields of staff accounts (see efficiency_portal.privacy).

* A staff member's mobile number is a person's own number: every list shows it masked
  (the admin's 手机号 column, the staff API) and the CSV leaves it out. Whoever may edit
  the profile sees it on the form to correct it; nobody may find a person by it.
* The password hash: filtering users by its first characters would hand out the hash
  piece by piece (``?password__startswith=pbkdf2_sha256$1000000$a``).
"""

CONFIDENTIAL = {
    "organizations.StaffProfile": ("phone",),
    "auth.User": ("password",),
}
