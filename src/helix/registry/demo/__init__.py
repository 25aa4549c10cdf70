"""The demo ecosystem and the synthetic ecosystem generator.

- ``seeds``: the seed-based demo ecosystem (Flux50, the Luxembourg Cluster Initiative, Smart Energy Cities)
  as plain dataclasses, no Django;
- ``generate``: the synthetic ecosystem generator (names, places, texts, memberships), no Django;
- ``load``: writes either of them to the database through the ORM.
"""
