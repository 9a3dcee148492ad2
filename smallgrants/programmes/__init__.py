"""A regranting programme's roll-up: every grant holder's competitions, money, reports and
participants, read by the programme's operator."""
