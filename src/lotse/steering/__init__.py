"""Steering (issue 7): needs analysis, gap reports to committees, goals and KPIs, anonymous
reporting. Steering sees aggregates only, never a person. Started with the pure parts:
`apportionment` (distributing welcome-counselling positions) and `suppression` (small cells)."""
