"""Graded exercises: releasing them, grading a cohort in a sandbox, rubrics, feedback, reports.

The assignments live as nbgrader source notebooks in ``solutions/`` and are released
to participants in ``exercises/`` and to each cohort's course folder. Belongs here:

* :mod:`~consortia.grading.nbgrader_course` - the one nbgrader configuration of the
  kit and the one way to read a course's configuration and open its gradebook;
* :mod:`~consortia.grading.release` - ``exercises/`` generated from ``solutions/``;
* :mod:`~consortia.grading.workshop` - a cohort's course folder (``workshop new``)
  and its JupyterLab with formgrader and the marking page (``workshop open``);
* :mod:`~consortia.grading.autograde` - grading a cohort: the orchestration, with
  :mod:`~consortia.grading.execute` (one submission in its sandboxed kernel),
  :mod:`~consortia.grading.workers` (parallel worker processes),
  :mod:`~consortia.grading.gradebook` (the only writer of the gradebook),
  :mod:`~consortia.grading.outcomes` (what grading found) and
  :mod:`~consortia.grading.sandbox` (how participants' code is confined);
* :mod:`~consortia.grading.checks` - the helpers every autograded test cell calls;
* :mod:`~consortia.grading.rubric` - rubrics as data, scored into the gradebook;
* :mod:`~consortia.grading.marking` - what the marking page reads: the submissions
  to mark, the plan handed in, the written answers;
* :mod:`~consortia.grading.marks` - what a submission is scored on, part by part in
  plain words, and its one total;
* :mod:`~consortia.grading.feedback` and :mod:`~consortia.grading.report` - what
  participants and trainers read afterwards (``consortia report`` rebuilds them from
  the gradebook and releases the feedback through nbgrader's exchange).

May import: the ground of the package, :mod:`consortia.content` and
:mod:`consortia.plans` (a plan is checked with the plans' own rules); never the
course or widgets. The rubric widget for trainers is
:class:`consortia.widgets.rubric.RubricGrader`, shown on the marking page
(:class:`consortia.widgets.marking.MarkingDesk`).
"""
