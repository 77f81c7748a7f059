"""The modules and fields the sandbox knows, with Zoho's mandatory and unique rules."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DEFAULT_MODULES", "SYSTEM_FIELDS", "FieldSpec", "ModuleSpec"]

# Fields the server maintains; values sent for them are ignored like Zoho does.
SYSTEM_FIELDS = frozenset({"Created_Time", "Modified_Time", "Created_By", "Modified_By", "id"})


@dataclass(frozen=True)
class FieldSpec:
    """One field: API name, Zoho data type and the rules a write must respect."""

    api_name: str
    data_type: str = "text"
    mandatory: bool = False
    unique: bool = False
    read_only: bool = False
    lookup_module: str | None = None
    length: int = 255
    pick_list_values: tuple[str, ...] = ()
    custom: bool = False
    """A field the org added (Setup > Modules and Fields): ``custom_field`` in its metadata."""

    @classmethod
    def from_wire(cls, wire: dict[str, object]) -> FieldSpec:
        """A custom field as ``/settings/fields`` describes one (``api_name``, ``data_type``,
        ``pick_list_values`` as ``{"display_value": ...}`` objects or plain strings)."""
        values = wire.get("pick_list_values") or []
        assert isinstance(values, list)
        options = tuple(str(v["display_value"]) if isinstance(v, dict) else str(v) for v in values)
        length = wire.get("length", 255)
        return cls(
            api_name=str(wire["api_name"]),
            data_type=str(wire.get("data_type", "text")),
            mandatory=bool(wire.get("system_mandatory", False)),
            length=int(length) if isinstance(length, int) else 255,
            pick_list_values=options,
            custom=bool(wire.get("custom_field", True)),
        )

    @property
    def max_length(self) -> int:
        """The most characters a text value may have (Zoho's phone fields hold 30)."""
        return 30 if self.data_type == "phone" else self.length

    @property
    def json_type(self) -> str:
        if self.data_type in ("lookup", "ownerlookup"):
            return "jsonobject"
        if self.data_type in ("integer", "bigint"):
            return "integer"
        if self.data_type in ("double", "currency"):
            return "double"
        if self.data_type == "boolean":
            return "boolean"
        return "string"


@dataclass(frozen=True)
class ModuleSpec:
    """A CRM module: its fields, upsert duplicate-check order and display field."""

    api_name: str
    module_id: str
    singular_label: str
    display_field: str
    duplicate_check_fields: tuple[str, ...]
    fields: tuple[FieldSpec, ...] = field(default=())

    def field(self, api_name: str) -> FieldSpec | None:
        for spec in self.fields:
            if spec.api_name == api_name:
                return spec
        return None

    @property
    def field_names(self) -> frozenset[str]:
        return frozenset(spec.api_name for spec in self.fields)

    def with_fields(self, extra: tuple[FieldSpec, ...]) -> ModuleSpec:
        """This module with ``extra`` fields added (one of the same name is replaced)."""
        names = {spec.api_name for spec in extra}
        kept = tuple(spec for spec in self.fields if spec.api_name not in names)
        return ModuleSpec(
            self.api_name,
            self.module_id,
            self.singular_label,
            self.display_field,
            self.duplicate_check_fields,
            kept + extra,
        )


def _common() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("Owner", "ownerlookup"),
        FieldSpec("Created_Time", "datetime", read_only=True),
        FieldSpec("Modified_Time", "datetime", read_only=True),
        FieldSpec("Created_By", "ownerlookup", read_only=True),
        FieldSpec("Modified_By", "ownerlookup", read_only=True),
        FieldSpec("Description", "textarea", length=32000),
    )


_PERSON = (
    FieldSpec("Salutation", "picklist"),
    FieldSpec("First_Name"),
    FieldSpec("Last_Name", mandatory=True, length=80),
    FieldSpec("Full_Name", read_only=True),
    FieldSpec("Email", "email", unique=True),
    FieldSpec("Secondary_Email", "email"),
    FieldSpec("Phone", "phone"),
    FieldSpec("Mobile", "phone"),
    FieldSpec("Title"),
    FieldSpec("Lead_Source", "picklist"),
    FieldSpec("Email_Opt_Out", "boolean"),
)

DEFAULT_MODULES: tuple[ModuleSpec, ...] = (
    ModuleSpec(
        "Leads",
        "5725767000000002175",
        "Lead",
        "Full_Name",
        ("Email",),
        (
            *_PERSON,
            FieldSpec("Company", mandatory=True),
            FieldSpec("Lead_Status", "picklist"),
            FieldSpec("Industry", "picklist"),
            FieldSpec("City"),
            FieldSpec("Country"),
            *_common(),
        ),
    ),
    ModuleSpec(
        "Contacts",
        "5725767000000002179",
        "Contact",
        "Full_Name",
        ("Email",),
        (
            *_PERSON,
            FieldSpec("Account_Name", "lookup", lookup_module="Accounts"),
            FieldSpec("Department"),
            FieldSpec("Mailing_Street"),
            FieldSpec("Mailing_City"),
            FieldSpec("Mailing_State"),
            FieldSpec("Mailing_Zip"),
            FieldSpec("Mailing_Country"),
            *_common(),
        ),
    ),
    ModuleSpec(
        "Accounts",
        "5725767000000002177",
        "Account",
        "Account_Name",
        ("Account_Name",),
        (
            FieldSpec("Account_Name", mandatory=True, unique=True, length=200),
            FieldSpec("Account_Number"),
            FieldSpec("Account_Type", "picklist"),
            FieldSpec("Industry", "picklist"),
            FieldSpec("Phone", "phone"),
            FieldSpec("Website", "website"),
            FieldSpec("Employees", "integer"),
            FieldSpec("Annual_Revenue", "currency"),
            FieldSpec("Parent_Account", "lookup", lookup_module="Accounts"),
            FieldSpec("Billing_Street"),
            FieldSpec("Billing_City"),
            FieldSpec("Billing_State"),
            FieldSpec("Billing_Code"),
            FieldSpec("Billing_Country"),
            *_common(),
        ),
    ),
    ModuleSpec(
        "Deals",
        "5725767000000002181",
        "Deal",
        "Deal_Name",
        ("Deal_Name",),
        (
            FieldSpec("Deal_Name", mandatory=True),
            FieldSpec("Stage", "picklist", mandatory=True),
            FieldSpec("Closing_Date", "date"),
            FieldSpec("Amount", "currency"),
            FieldSpec("Probability", "integer"),
            FieldSpec("Pipeline", "picklist"),
            FieldSpec("Type", "picklist"),
            FieldSpec("Account_Name", "lookup", lookup_module="Accounts"),
            FieldSpec("Contact_Name", "lookup", lookup_module="Contacts"),
            *_common(),
        ),
    ),
    ModuleSpec(
        "Cases",
        "5725767000000002183",
        "Case",
        "Subject",
        ("Subject",),
        (
            FieldSpec("Subject", mandatory=True),
            FieldSpec("Case_Number", "autonumber", read_only=True),
            FieldSpec("Status", "picklist"),
            FieldSpec("Case_Origin", "picklist"),
            FieldSpec("Priority", "picklist"),
            FieldSpec("Type", "picklist"),
            FieldSpec("Case_Reason", "picklist"),
            FieldSpec("Email", "email"),
            FieldSpec("Phone", "phone"),
            FieldSpec("Account_Name", "lookup", lookup_module="Accounts"),
            FieldSpec("Related_To", "lookup", lookup_module="Contacts"),
            FieldSpec("Solution", "textarea"),
            *_common(),
        ),
    ),
    ModuleSpec(
        "Notes",
        "5725767000000002185",
        "Note",
        "Note_Title",
        (),
        (
            FieldSpec("Note_Title", length=120),
            FieldSpec("Note_Content", "textarea", mandatory=True, length=65535),
            FieldSpec("Parent_Id", "lookup", mandatory=True),
            *_common(),
        ),
    ),
)
