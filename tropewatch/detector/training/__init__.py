"""Training, evaluation and the model card: building the detector's bundle from data.

These modules import the inference modules of ``tropewatch.detector``, never the other way
round (tests/detector/test_plain_library.py checks it), so running the detector loads none of
them, nor scikit-learn's training code, torch or the data sets.
"""
