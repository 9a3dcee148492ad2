"""Competitions: set-up, announcement, application window, scoring criteria."""
