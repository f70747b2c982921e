"""What every widget of the kit shares: showing itself when it is the last line of a cell.

A kit widget is a plain object holding its ipywidgets layout in ``self.widget``
(so that it can keep state and offer methods of its own); Jupyter shows it through
``_repr_mimebundle_``, which hands over to that layout.

Widgets do not survive a reload of the page once their kernel is gone: JupyterLab
then shows "Error displaying widget: model not found" where the widget was. A view
whose :meth:`WidgetView.reload_note` returns a line (the planner: where the plan is
saved and how to reopen it) leaves that line as ordinary output before the widget.
The live widget hides it with a style of its own (:meth:`WidgetView.reload_note_style`,
which the view puts in its layout), so the line is seen only once the widget is gone,
and the line's own style hides the text-only error output beside it.
"""

from __future__ import annotations

import html
import uuid


class WidgetView:
    """Mixin: display the object's ``widget`` attribute in a notebook."""

    widget: object

    def _repr_mimebundle_(self, **kwargs):
        """Show the widget when it is the last expression of a cell."""
        return self.widget._repr_mimebundle_(**kwargs)

    def _ipython_display_(self) -> None:
        """Show the reload note (if the view has one) as plain output, then the widget."""
        from IPython.display import display

        note = self.reload_note()
        if note is not None:
            display({"text/plain": note, "text/html": self._reload_note_html(note)}, raw=True)
        # the view's own bundle, not bare self.widget: a view may add to it (the
        # self-check adds the static HTML that the course site shows)
        display(self._repr_mimebundle_(), raw=True)

    def reload_note(self) -> str | None:
        """The line to show in place of the widget once it is gone; ``None``: no line."""
        return None

    @property
    def _note_class(self) -> str:
        """A CSS class naming this object's note, so that only its own widget hides it."""
        if "_note_class_name" not in self.__dict__:
            self._note_class_name = f"consortia-reload-{uuid.uuid4().hex[:12]}"
        return self._note_class_name

    def reload_note_style(self) -> str:
        """HTML for the view's layout: while the widget is shown, its reload note is hidden."""
        note = self._note_class
        return (f"<style>.jp-OutputArea-child:has(.{note}), .{note} {{display:none}}"
                "</style>")

    def _reload_note_html(self, text: str) -> str:
        """The note as HTML, with a style that hides the widget's text-only output beside it.

        A widget output holding only text is "Loading widget..." or "Error displaying
        widget: model not found"; a live widget holds elements, so it stays visible.
        """
        note = self._note_class
        return (
            f"<style>.jp-OutputArea-child:has(.{note}) + .jp-OutputArea-child > "
            ".jp-OutputArea-output:not(:has(*)) {display:none}</style>"
            f'<div class="{note}" style="padding:6px 0;font-weight:bold">'
            f"{html.escape(text)}</div>"
        )
