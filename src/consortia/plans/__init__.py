"""The action plan a country team builds: model, files, editing, rules and views.

Belongs here: the plan model (:mod:`~consortia.plans.model`), plan files with their
atomic save and the migration of older versions (:mod:`~consortia.plans.files`), a new
plan from a case
(:mod:`~consortia.plans.starter`), an editing session with undo, autosave and
recovery that any front end drives (:mod:`~consortia.plans.session`), the one
validator (:mod:`~consortia.plans.rulebook` for the rules as data,
:mod:`~consortia.plans.rules` for what each finds), monitoring and evaluation
(:mod:`~consortia.plans.monitoring` for indicator tables,
:mod:`~consortia.plans.progress` for review periods, indicator states, late
activities and reviews due), the timeline drawings
(:mod:`~consortia.plans.timeline`), the page of a plan (:mod:`~consortia.plans.page`),
a team's progress report (:mod:`~consortia.plans.report`), the plan as a workbook
(:mod:`~consortia.plans.workbook`), the illustrative follow-up invented for teaching
(:mod:`~consortia.plans.followup`) and the no-code planner page's server
(:mod:`~consortia.plans.app`).

May import: the ground of the package and :mod:`consortia.content`. Plans know
nothing of the course, grading or widgets (the planner widget sits on top of
:mod:`~consortia.plans.session`).
"""
