"""The knowledge base: rule files (data) and the small engine that ranks causes."""
