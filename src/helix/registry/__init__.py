"""The ecosystem registry: organisations, people, sites, sectors, clusters, domains and memberships."""
