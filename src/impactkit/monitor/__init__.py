"""Following a contract's social return from award to the final check (`impactkit monitor`).

The store keeps facts (the awarded plan, realisations, statuses, the menu version at award);
credits are always recomputed by the engine's valuation, so monitor, check and score agree.
"""
