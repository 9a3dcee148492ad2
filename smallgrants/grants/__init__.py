"""Grants and monitoring: agreements, tranches and payments, grantees' reports, visits."""
