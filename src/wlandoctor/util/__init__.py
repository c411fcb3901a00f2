"""Small helpers shared by parsers (MAC addresses, times)."""
