"""Origin-consortium course kit: the UNIDO methodology and the SELA 2014 cases as data.

The package is the one place where the kit's logic lives; notebooks import it and
stay short. It is grouped by domain, from the ground up:

* the ground: ``sources`` (citations, the base model), ``datafiles`` (the YAML
  loader), ``errors``, ``display`` (tables in notebooks), ``figures`` (chart
  plumbing), ``pages`` (HTML from Jinja2 templates), ``storage`` (atomic writes) and
  ``_paths``;
* :mod:`consortia.content` - what the course teaches: methodology, programme, cases;
* :mod:`consortia.plans` - the action plan: model, files, session, rules, views;
* :mod:`consortia.course` - syllabus, agendas, self-checks, the learner's copy and
  lab, the static site;
* :mod:`consortia.grading` - nbgrader release, sandboxed grading, rubrics, reports;
* :mod:`consortia.widgets` and ``cli`` on top.

Lower layers never import higher ones (``docs/architecture.md``). This facade stays
light on purpose: pandas and matplotlib are imported lazily inside the modules that
need them, so ``import consortia`` is fast. Import paths of earlier versions
(``consortia.models``, ``consortia.plan``...) keep working (:mod:`consortia._legacy`).
"""

from consortia import _legacy

__version__ = "0.1.0"

_legacy.install()
