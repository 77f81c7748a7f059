"""Token grants, the contact book (`/cgi/user/*`) and object describe / list endpoints."""

from __future__ import annotations

from typing import Any

from connectors.fxiaoke.sandbox.auth import Caller, TokenRegistry
from connectors.fxiaoke.sandbox.config import DemoUser, SandboxCredentials
from connectors.fxiaoke.sandbox.errors import FxiaokeCode, SandboxApiError
from connectors.fxiaoke.sandbox.store import RecordStore, UnknownObjectError

__all__ = ["MetaEndpoints"]

Json = dict[str, Any]


def _user(user: DemoUser) -> Json:
    return {
        "openUserId": user.open_user_id,
        "name": user.name,
        "nickName": user.name,
        "mobile": user.mobile,
        "email": user.email,
        "status": user.status,
        "isStop": False,
        "employeeNumber": user.employee_id,
        "departmentIds": [1000],
        "mainDepartmentIds": [1000],
    }


class MetaEndpoints:
    def __init__(
        self, store: RecordStore, tokens: TokenRegistry, credentials: SandboxCredentials
    ) -> None:
        self._store = store
        self._tokens = tokens
        self._credentials = credentials

    # -- tokens (the dispatcher checks the per-minute cap first) ---------------------------

    def legacy_token(self, body: Json) -> Json:
        self._tokens.check_app_credentials(body)
        token, remaining = self._tokens.grant("legacy")
        return {
            "corpAccessToken": token.value,
            "corpId": self._credentials.corp_id,
            "expiresIn": remaining,
        }

    def oauth_token(self, body: Json) -> Json:
        grant_type = body.get("grantType", body.get("grant_type"))
        if grant_type != "app_secret":
            raise SandboxApiError(
                FxiaokeCode.PARAMETER_MISSING, "the parameter grantType is missing or illegal"
            )
        self._tokens.check_app_credentials(body)
        token, remaining = self._tokens.grant("oauth")
        return {
            "accessToken": token.value,
            "expiresIn": remaining,
            "appId": self._credentials.app_id,
            "ea": self._credentials.ea,
            "openUserId": self._credentials.corp_id,  # the docs' sample carries the corp id here
        }

    # -- contact book ----------------------------------------------------------------------

    def user_by_mobile(self, body: Json, caller: Caller) -> Json:
        mobile = body.get("mobile")
        if not mobile:
            raise SandboxApiError(FxiaokeCode.PARAMETER_ERROR, "mobile 不能为空")
        return {"empList": [_user(u) for u in self._credentials.users if u.mobile == str(mobile)]}

    def user_list(self, body: Json, caller: Caller) -> Json:
        return {"userList": [_user(u) for u in self._credentials.users]}

    def users_by_update_time(self, body: Json, caller: Caller) -> Json:
        size = max(1, min(int(body.get("pageSize", 20)), 1000))
        number = max(1, int(body.get("pageNumber", 1)))
        users = list(self._credentials.users)
        page = users[(number - 1) * size : number * size]
        return {
            "pageNumber": number,
            "pageCount": -(-len(users) // size),
            "totalCount": len(users),
            "lastChangedTime": int(self._store.now_ms()),
            "employees": [_user(u) for u in page],
        }

    # -- objects ---------------------------------------------------------------------------

    def describe(self, body: Json, caller: Caller) -> Json:
        raw = body.get("data")
        data: Json = raw if isinstance(raw, dict) else {}
        api_name = body.get("apiName") or data.get("apiName") or data.get("dataObjectApiName")
        try:
            spec = self._store.spec(str(api_name))
        except UnknownObjectError:
            raise SandboxApiError(FxiaokeCode.PARAMETER_ERROR, f"对象 {api_name} 不存在") from None
        return {"data": {"describe": spec.to_wire()}}

    def object_list(self, body: Json, caller: Caller) -> Json:
        objects = [
            {
                "describeApiName": spec.api_name,
                "describeDisplayName": spec.display_name,
                "defineType": "custom" if spec.is_custom else "package",
                "isActive": True,
            }
            for spec in self._store.objects()
        ]
        return {"data": {"objects": objects}}
