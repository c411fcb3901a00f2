"""One base class for every error the user may see; it carries file and line."""


class WlandoctorError(Exception):
    """Base of all wlandoctor errors."""


class InputError(WlandoctorError):
    """A problem with one input, located by source name and line number (1-based; 0 = whole input)."""

    def __init__(self, source: str, line: int, message: str) -> None:
        super().__init__(f"{source}:{line}: {message}" if line else f"{source}: {message}")
        self.source = source
        self.line = line
        self.message = message


class EngineError(WlandoctorError):
    """The run cannot be done the way it was asked (``--engine dask`` without its extra, a scheduler out
    of reach, workers that differ from this machine): exit code 2, as for a bad command line."""
