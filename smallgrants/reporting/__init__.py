"""The grant holder's own project and its final report (Appendix 8)."""
