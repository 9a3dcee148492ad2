"""Administration: user accounts and roles, the audit log."""
