"""The matcher: who fits which post, why, and why not (DESIGN §5)."""

from matcher.bulk import Candidates, explain, score_all, shortage_reason
from matcher.index import PostIndex
from matcher.refer import NearMiss, Referral, ReferralResult, refer
from matcher.rules import RULES
from matcher.weights import DEFAULT_WEIGHTS, Weights

__all__ = [
    "DEFAULT_WEIGHTS",
    "RULES",
    "Candidates",
    "NearMiss",
    "PostIndex",
    "Referral",
    "ReferralResult",
    "Weights",
    "explain",
    "refer",
    "score_all",
    "shortage_reason",
]
