"""Training: one module per trainable stage, one settings schema for all (``config``).

Training imports the stages it trains; no stage imports training.
"""
