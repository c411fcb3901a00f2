"""The shared vocabulary. Imports nothing else of the package; everything else imports it."""

from wlandoctor.model.diagnosis import Cause, Coverage, Diagnosis, Evidence, InputSummary, Problem, Report
from wlandoctor.model.errors import InputError, WlandoctorError
from wlandoctor.model.events import Event, SourceRef
from wlandoctor.model.stages import STAGE_INDEX, STAGES, Stage, stage_index
from wlandoctor.model.timeline import Attempt, Outcome, StationTimeline

__all__ = [
    "STAGES",
    "STAGE_INDEX",
    "Attempt",
    "Cause",
    "Coverage",
    "Diagnosis",
    "Event",
    "Evidence",
    "InputError",
    "InputSummary",
    "Outcome",
    "Problem",
    "Report",
    "SourceRef",
    "Stage",
    "StationTimeline",
    "WlandoctorError",
    "stage_index",
]
