"""Cluster roadmaps: phases, milestones, critical path, validation, what-if and levelling (plain data)."""
