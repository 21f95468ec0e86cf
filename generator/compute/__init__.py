"""Compute: every table, subtotal and derived figure, as pure functions on Decimal.

``tables`` builds 公开01–09 (and the printed-vs-computed comparisons), ``figures``
the derived figures of 第三部分, ``evaluation`` scores the 绩效 forms.
"""

from .evaluation import EvaluationScore, score_all
from .figures import Figures, compute
from .tables import Tables, compute_tables

__all__ = ["EvaluationScore", "Figures", "Tables", "compute", "compute_tables", "score_all"]
