"""Per-station timelines, split into attempts."""

from wlandoctor.timeline.builder import TimelineBuilder, Timelines, finish_attempt, split_attempts

__all__ = ["TimelineBuilder", "Timelines", "finish_attempt", "split_attempts"]
