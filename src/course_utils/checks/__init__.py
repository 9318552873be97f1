"""Exercise objects of each chapter, one module per notebook (``ch00`` for chapter 0, ...).

A notebook imports its exercises with ``from course_utils.checks.ch00 import q1, q2, q3``. The
checks test behaviour (values, shapes, parameter counts, predictions), never private attributes.

Introduced in: notebooks/00_data_and_tools.ipynb
"""
