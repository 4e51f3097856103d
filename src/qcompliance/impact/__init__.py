"""Change impact: what a new catalogue version changes for every company of a portfolio.

:func:`impact` evaluates each company under the old and the new catalogue and reports the
items whose rule changed and the verdicts that flip, ranked by new mandatory failures.
"""

from __future__ import annotations

from qcompliance.impact.compare import (
    ChecklistChange,
    CompanyImpact,
    Impact,
    PortfolioEntry,
    RuleChange,
    impact,
    rule_changes,
)

__all__ = ["ChecklistChange", "CompanyImpact", "Impact", "PortfolioEntry", "RuleChange",
           "impact", "rule_changes"]
