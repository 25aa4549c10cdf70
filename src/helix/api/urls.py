from ninja import NinjaAPI

api = NinjaAPI(
    title="Helix API",
    version="1",
    description="The Helix registry: organisations, people, sites, clusters and memberships.",
    docs_url="/docs",
)
