"""Evaluation of a profile against compiled checklists (no I/O), scoring, tailoring and diff."""
