"""The post catalogue: posts, partner agreements, employer controls and reading uploads.

Pure: values in, values out. The Redis store of it is ``service.catalogue_store``.
"""

from __future__ import annotations

from catalogue.agreements import (
    DirectedReach,
    directed_allowed,
    directed_reach,
    parse_agreement,
    parse_agreements,
)
from catalogue.columns import POST_COLUMNS
from catalogue.controls import EmployerControl, control_for
from catalogue.credit_code import credit_code_problem, is_valid_credit_code, make_credit_code
from catalogue.errors import AgreementError, CatalogueError, PostStateError, UnknownPostError
from catalogue.models import Agreement, Employer, Post, make_post_id, post_state
from catalogue.upload import UploadResult, parse_posts

__all__ = [
    "POST_COLUMNS",
    "Agreement",
    "AgreementError",
    "CatalogueError",
    "DirectedReach",
    "Employer",
    "EmployerControl",
    "Post",
    "PostStateError",
    "UnknownPostError",
    "UploadResult",
    "control_for",
    "credit_code_problem",
    "directed_allowed",
    "directed_reach",
    "is_valid_credit_code",
    "make_credit_code",
    "make_post_id",
    "parse_agreement",
    "parse_agreements",
    "parse_posts",
    "post_state",
]
