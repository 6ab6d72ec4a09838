"""tropewatch: find, review, report and counter antisemitism in online spaces."""

__version__ = "0.1.0"
