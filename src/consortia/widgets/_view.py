"""What every widget of the kit shares: showing itself when it is the last line of a cell.

A kit widget is a plain object holding its ipywidgets layout in ``self.widget``
(so that it can keep state and offer methods of its own); Jupyter shows it through
``_repr_mimebundle_``, which hands over to that layout.
"""

from __future__ import annotations


class WidgetView:
    """Mixin: display the object's ``widget`` attribute in a notebook."""

    widget: object

    def _repr_mimebundle_(self, **kwargs):
        """Show the widget when it is the last expression of a cell."""
        return self.widget._repr_mimebundle_(**kwargs)
