"""Symbiosis pages, one module per group: flows (list, CSV, form, detail, the waste-code browser and its
suggestions), the offline map, synergies (list, detail with explanation, impact, workflow and reports),
and the dashboard with totals over time, impact factors, matching and allocation runs. Thin: the
services (helix.symbiosis.*) do the work; helix.symbiosis.urls routes to each module."""

APP = "symbiosis"  # the navigation's app, on every page of this package
