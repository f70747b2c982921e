"""The programme view across many plans: what SELA and UNIDO look at after the workshop.

The 2014 meeting asked SELA's SME programme and UNIDO to follow the teams from a
distance with the Caribbean Export Development Agency (SELA 2014 §46) and to meet in
2015 to evaluate progress and impact (§53). One plan's progress is worked out by
:mod:`consortia.plans.progress`; this subpackage puts many plans side by side.

Belongs here: reading a folder of plan files and one row per consortium
(:mod:`~consortia.monitoring.programme`), the small charts of actual against target
(:mod:`~consortia.monitoring.charts`), the self-contained HTML dashboard, the
one-page evaluation summary and the same rows as an xlsx
(:mod:`~consortia.monitoring.dashboard`), the IATI 2.03 results export with its
validation against the shipped schema (:mod:`~consortia.monitoring.iati`,
``iati_schema/``), and the build behind ``consortia monitor``
(:mod:`~consortia.monitoring.build`).

May import: the ground of the package, :mod:`consortia.content` and
:mod:`consortia.plans`. It knows nothing of the course, grading or widgets; what a
state or a late activity means is decided in :mod:`consortia.plans.progress`, never
here.
"""
