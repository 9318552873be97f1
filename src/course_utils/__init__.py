"""Helpers for the open course *n-grams to GRUs*.

One module per concept: :mod:`course_utils.data` (corpora), :mod:`course_utils.exercises`
(auto-checked exercises), :mod:`course_utils.plotting` (the book's figure style). Later chapters
add text, n-gram, embedding, recurrent-network and model helpers.
"""

__version__ = "0.1.0"
