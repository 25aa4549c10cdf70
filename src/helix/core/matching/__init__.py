"""Needs and offers matchmaking: text embeddings, ranking, explanations and evaluation."""
