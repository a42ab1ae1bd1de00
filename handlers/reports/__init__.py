"""Figures: period reports for staff, usage counts, and the open datasets published from
them."""
