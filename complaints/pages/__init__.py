"""Citizen and public pages of the complaints app: intake, follow-up, and the public face.

Thin views: forms check the shape of the input, ``complaints.services`` does every write,
``complaints.selectors`` / ``complaints.selectors.public`` / ``complaints.stats`` every read.
"""
