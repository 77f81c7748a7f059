"""Feedback: complaints, follow-ups, cases and survey answers linked to their customer,
synced with their parent, and per-account satisfaction (CSAT, NPS, complaint ageing)."""

from flows.feedback.job import run_feedback, run_feedback_with

__all__ = ["run_feedback", "run_feedback_with"]
