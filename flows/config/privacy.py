"""``privacy:`` of a system or a job: how ``crmbridge forget`` erases a person there.

    systems:
      zoho: {type: zoho, ..., privacy: {erase: delete}}        # the default
    jobs:
      - name: zoho-fxiaoke
        privacy: {erase: anonymise}     # overrides the systems' setting for this job's systems

``delete`` removes the person's records for good (and out of the CRM's recycle bin);
``anonymise`` keeps each record (its id, owner, history, links) with the person's name
replaced by a placeholder and every other personal field emptied.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["EraseMode", "PrivacyOptions"]

EraseMode = Literal["delete", "anonymise"]


class PrivacyOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    erase: EraseMode = "delete"
