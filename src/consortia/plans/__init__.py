"""The action plan a country team builds: model, files, editing, rules and views.

Belongs here: the plan model (:mod:`~consortia.plans.model`), plan files with their
atomic save (:mod:`~consortia.plans.files`), a new plan from a case
(:mod:`~consortia.plans.starter`), an editing session with undo, autosave and
recovery that any front end drives (:mod:`~consortia.plans.session`), the one
validator (:mod:`~consortia.plans.rulebook` for the rules as data,
:mod:`~consortia.plans.rules` for what each finds), monitoring and evaluation
(:mod:`~consortia.plans.monitoring`), the timeline drawings
(:mod:`~consortia.plans.timeline`), the page of a plan (:mod:`~consortia.plans.page`)
and the no-code planner page's server (:mod:`~consortia.plans.app`).

May import: the ground of the package and :mod:`consortia.content`. Plans know
nothing of the course, grading or widgets (the planner widget sits on top of
:mod:`~consortia.plans.session`).
"""
