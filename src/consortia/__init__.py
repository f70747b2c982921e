"""Origin-consortium course kit: the UNIDO methodology and the SELA 2014 cases as data.

The package is the one place where the kit's logic lives; notebooks import it and
stay short. This facade stays light on purpose: pandas and matplotlib are imported
lazily inside the modules that need them, so ``import consortia`` is fast.
"""

__version__ = "0.1.0"
