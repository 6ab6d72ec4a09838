"""Complaint cases: the organisation's own process for the people its volunteers report."""
