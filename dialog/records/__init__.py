"""Public records and personal data: a resident's data download and account closing, the
retention (gallring) of personal data, and the exports for the registry and the audit trail.

Inputs are public records (allmänna handlingar): nothing here deletes one. Closing an account
and retention remove the personal data around them (names, addresses, sign-ups, logs)."""
