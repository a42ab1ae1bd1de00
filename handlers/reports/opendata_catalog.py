"""The passports of the open datasets (templates/opendata.toml) and who publishes them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from handlers.catalog_files import CatalogError, entries, read

FORMATS = ("string", "integer", "number", "date", "boolean")
VERSION = re.compile(r"^\d{8}$")


@dataclass(frozen=True, slots=True)
class Publisher:
    """From the configuration (OPENDATA_*): the identifier of a set starts with the INN."""

    inn: str = "0000000000"
    name: str = "Администрация"
    contact: str = ""
    phone: str = ""
    email: str = ""
    base_url: str = ""  # where the sets are published; empty: links relative to list.csv


@dataclass(frozen=True, slots=True)
class FieldText:
    ru: str
    en: str


@dataclass(frozen=True, slots=True)
class Passport:
    code: str
    structure: str
    title: str
    description: str
    subject: str
    fields: dict[str, FieldText]


@dataclass(frozen=True, slots=True)
class OpenDataCatalog:
    passports: dict[str, Passport] = field(default_factory=dict)
    # The passports' "provenance" line: how the sets are made.
    provenance: str = ""

    @classmethod
    def load(cls, folder: Path, fields: dict[str, tuple[str, ...]]) -> OpenDataCatalog:
        """``fields``: each dataset the program makes, with its field names: the file must
        describe exactly these."""
        path = folder / "opendata.toml"
        raw = read(path)
        passports: dict[str, Passport] = {}
        for entry in entries(path, raw, "dataset"):
            code = entry.get("code")
            if code not in fields or code in passports:
                raise CatalogError(f"{path}: unknown or repeated dataset code {code!r}")
            texts = {}
            for key in ("title", "description", "subject", "structure"):
                value = entry.get(key)
                if not isinstance(value, str) or not value.strip():
                    raise CatalogError(f"{path}: dataset {code!r} has no {key}")
                texts[key] = value.strip()
            if not VERSION.match(texts["structure"]):
                raise CatalogError(f"{path}: dataset {code!r}: structure must be YYYYMMDD")
            described = entry.get("fields")
            if not isinstance(described, dict) or tuple(described) != fields[code]:
                raise CatalogError(
                    f"{path}: dataset {code!r} must describe the fields {', '.join(fields[code])}"
                    " in this order"
                )
            field_texts = {}
            for name, text in described.items():
                if not isinstance(text, dict) or not all(
                    isinstance(text.get(lang), str) and text[lang].strip() for lang in ("ru", "en")
                ):
                    raise CatalogError(f"{path}: dataset {code!r}: field {name!r} needs ru and en")
                field_texts[name] = FieldText(text["ru"].strip(), text["en"].strip())
            passports[code] = Passport(
                code,
                texts["structure"],
                texts["title"],
                texts["description"],
                texts["subject"],
                field_texts,
            )
        missing = set(fields) - set(passports)
        if missing:
            raise CatalogError(f"{path}: no passport for {', '.join(sorted(missing))}")
        provenance = raw.get("provenance")
        if not isinstance(provenance, str) or not provenance.strip():
            raise CatalogError(f"{path}: 'provenance' (how the sets are made) is missing")
        return cls(passports, provenance.strip())
