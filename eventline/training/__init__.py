"""Training of the learned components: the sentence classifier's training data, k-fold splits
and out-of-fold figures (folds.py). scripts/train_classifier.py rebuilds the shipped model
with it, and eventline.evaluation scores trained components only with models from the fold
that never saw the scored text.
"""
