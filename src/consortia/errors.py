"""The kit's own error type: a problem the person using the kit can fix.

Every error the kit raises on purpose (a broken data or plan file, an unknown phase
or case, a course folder that cannot be created, a sandbox that does not work here)
derives from :class:`KitError`, and its message says what is wrong and what to do.
The ``consortia`` command prints such a message in one line and exits with status
2; anything else is a bug of the kit and shows its traceback, so that it can be
reported and fixed rather than mistaken for a user's mistake.

Most kit errors also derive from :class:`ValueError`, as they did before this type
existed, so code that catches ``ValueError`` keeps working.
"""

from __future__ import annotations


class KitError(Exception):
    """A problem the user can fix; the message says what is wrong and what to do."""


class InputError(KitError, ValueError):
    """A value given to the kit is not one it can use: an unknown phase, case, lesson or
    rubric, a score out of range, a folder that cannot be used. The message lists the
    valid values or says what to change."""
