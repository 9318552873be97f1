"""Helpers for the open course *n-grams to GRUs*.

One module per concept, from :mod:`course_utils.validation` (argument checks) and
:mod:`course_utils.data` (corpora) up to :mod:`course_utils.attention` (chapter 8) and the
instructors' :mod:`course_utils.grading`. ``README.md`` beside this file maps every module: what
it holds, the chapter that introduces it, and what it may import.
"""

__version__ = "0.1.0"
