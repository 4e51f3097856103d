"""Change impact: what a new catalogue version changes for every company."""
