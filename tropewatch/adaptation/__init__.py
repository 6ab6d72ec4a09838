"""An organisation's own head on the shipped model, fitted from its moderators' decisions
(``tropewatch adapt``); the head itself is ``tropewatch.detector.adaptation``."""
