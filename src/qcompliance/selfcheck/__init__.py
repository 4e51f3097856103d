"""The self-check: what to ask a company and how to read its answers, apart from any front end."""
