"""Cells that go to spreadsheets (CSV, XLSX) from text people typed in the admin."""


def spreadsheet_safe(value):
    """Text a spreadsheet would evaluate (=, +, -, @…) is kept as text by a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return f"'{value}"
    return value
