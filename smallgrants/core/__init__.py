"""Cross-cutting pieces every context uses: time, i18n, audit log, e-mail outbox, errors."""
