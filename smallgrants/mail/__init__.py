"""The e-mail page: what the outbox (`core.outbox`) did not deliver, for coordinators."""
