"""Graded exercises: what the test cells check, rubrics for the parts a trainer marks, the release.

The four assignments live as nbgrader source notebooks in ``solutions/`` and are
released to participants in ``exercises/``. This package holds what they need:

* :mod:`consortia.grading.checks` - the helpers every autograded test cell calls,
  each failing with a plain-English message that says what to fix (never the answer);
* :mod:`consortia.grading.rubric` - rubrics as data (``data/rubrics/*.yaml``), scoring
  a trainer's choice of levels, and writing the result into nbgrader's gradebook;
* :mod:`consortia.grading.release` - regenerating ``exercises/`` from ``solutions/``
  with ``nbgrader generate_assignment`` and checking that it is up to date.

The rubric widget for trainers is :class:`consortia.widgets.rubric.RubricGrader`.
"""
