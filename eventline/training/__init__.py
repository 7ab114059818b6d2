"""Training of the event model: the training table from every shared source (event_data.py),
fitting with k-fold splits held out by document and Platt calibration (event_training.py),
and the model-only figures (event_figures.py). scripts/train_event_model.py rebuilds the
shipped model with it, and eventline.evaluation scores the model (and the pipeline) on the
sets it was trained on only with fold models that never saw the scored document.
"""
