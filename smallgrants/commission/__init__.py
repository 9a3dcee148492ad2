"""The commission: composition, conflicts of interest, scoring, meeting, protocol, results."""
