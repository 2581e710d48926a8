//! Evaluation of extraction against the hand-made labels.
