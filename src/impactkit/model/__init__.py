"""The models: a menu of building blocks, a tender with its bids and contributions, the facts."""
