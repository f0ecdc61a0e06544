"""govreport: Chinese government information-disclosure annual reports as checked data.

The pipeline, one module per stage:
read → normalize → segment → tables → extract → link → reconcile → report,
wired in ``nlp.pipeline``.
"""

__version__ = "0.1.0"
