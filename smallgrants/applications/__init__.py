"""Applicant profiles (NGO or initiative group) and applications to competitions."""
