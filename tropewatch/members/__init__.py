"""Membership checks without the member list: only keyed hashes of its identifiers are stored."""
