def export() -> None:
    """Export."""
