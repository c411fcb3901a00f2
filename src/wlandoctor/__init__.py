"""wlandoctor: explain why a Wi-Fi station cannot get online."""

__version__ = "0.1.0"
