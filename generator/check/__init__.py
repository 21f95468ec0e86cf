"""Check: each identity (勾稽关系) and rule as a small pure function with a stable code."""

from .checks import (COMPLIANCE_CHECKS, EVALUATION_CHECKS, IDENTITY_CHECKS, STRUCTURE_CHECKS, Context,
                     EvaluationContext, run_checks)

__all__ = ["COMPLIANCE_CHECKS", "EVALUATION_CHECKS", "IDENTITY_CHECKS", "STRUCTURE_CHECKS", "Context",
           "EvaluationContext", "run_checks"]
