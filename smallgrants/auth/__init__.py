"""Accounts, roles, sign-in, e-mail confirmation, password reset, profile."""
