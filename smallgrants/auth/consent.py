"""Consent to processing personal data: the text people agree to, and its version.

A new text gets a new version (its date); each account keeps the version it agreed to and
when (`User.consent_at`, `User.consent_version`). The text itself is
`templates/auth/privacy.html`, in Kazakh, Russian and English.
"""

CONSENT_VERSION = "2026-12-01"
