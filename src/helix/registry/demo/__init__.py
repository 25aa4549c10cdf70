"""The demo ecosystem and the synthetic ecosystem generator.

- ``seeds``: the demo ecosystem (Flux50, the Luxembourg Cluster Initiative, Smart Energy Cities): its
  dataclasses and the ecosystem read from ``data/``, no Django;
- ``records``: reads the CSV and JSON files of an app's ``demo/data/`` into dataclasses, no Django;
- ``vocabulary``, ``naming``, ``generated``, ``generate``: the synthetic ecosystem generator (what it
  draws from, names and texts, what it returns, the generator itself), no Django;
- ``load``: writes the demo ecosystem to the database through the ORM; ``bulk``: writes a generated one.

``helix.demo`` loads the whole demo: this registry part first, then the market's and symbiosis's.
"""
