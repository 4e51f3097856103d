"""Tools for people who write checklists: lint and the coverage map."""
