"""What the course teaches: the methodology, the 2014 work programme and the cases.

Belongs here: the ten phases and the product-selection criteria
(:mod:`~consortia.content.methodology`), the 2014 work programme
(:mod:`~consortia.content.programme`), the case studies and their facts
(:mod:`~consortia.content.cases`, :mod:`~consortia.content.facts`), the views a
lesson or case notebook shows of them (:mod:`~consortia.content.case_views`,
:mod:`~consortia.content.phase_overview`, :mod:`~consortia.content.comparison`),
the themes across cases (:mod:`~consortia.content.themes`) and product readiness
(:mod:`~consortia.content.readiness`, :mod:`~consortia.content.readiness_compare`).
The models of these data files are in :mod:`~consortia.content.models`.

May import: the ground of the package only (:mod:`consortia.sources`,
:mod:`consortia.datafiles`, :mod:`consortia.errors`, :mod:`consortia.display`,
:mod:`consortia.figures`, :mod:`consortia.pages`, ``consortia._paths``). Content
knows nothing of plans, the course, grading or widgets.
"""
