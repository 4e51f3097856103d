"""The self-check: what to ask a company and how to read its answers, apart from any front end.

Front ends (the terminal in :mod:`qcompliance.cli.interview`, a web form) import from here; none
of these modules imports a terminal or web library.
"""

from __future__ import annotations

from qcompliance.selfcheck.answers import (
    MAX_RECORDS,
    UNKNOWN,
    UNKNOWN_WORDS,
    AnswerError,
    Answers,
    parse_answer,
    parse_count,
    read_answers,
)
from qcompliance.selfcheck.gates import GATES, Gate, gate
from qcompliance.selfcheck.profile_toml import (
    PROFILE_SCHEMA_COMMENT,
    render_profile,
    toml_value,
    update_profile,
)
from qcompliance.selfcheck.prompts import Ask, Prompt, Tell, choice_details, plain_help, plain_text
from qcompliance.selfcheck.questions import Interview
from qcompliance.selfcheck.records import (
    looks_like_records_file,
    read_records_data,
    read_records_file,
    records_columns,
    records_template,
)
from qcompliance.selfcheck.replay import interview_from_answers
from qcompliance.selfcheck.texts import say
from qcompliance.selfcheck.validate import Validation, validate_profile

__all__ = [
    "GATES",
    "MAX_RECORDS",
    "PROFILE_SCHEMA_COMMENT",
    "UNKNOWN",
    "UNKNOWN_WORDS",
    "AnswerError",
    "Answers",
    "Ask",
    "Gate",
    "Interview",
    "Prompt",
    "Tell",
    "Validation",
    "choice_details",
    "gate",
    "interview_from_answers",
    "looks_like_records_file",
    "parse_answer",
    "parse_count",
    "plain_help",
    "plain_text",
    "read_answers",
    "read_records_data",
    "read_records_file",
    "records_columns",
    "records_template",
    "render_profile",
    "say",
    "toml_value",
    "update_profile",
    "validate_profile",
]
