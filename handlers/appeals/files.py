"""Photos and documents: which a citizen or an operator may attach, and how they are kept."""

from __future__ import annotations

from pathlib import PurePosixPath

from handlers.context import Context
from handlers.contracts import Attachment, AttachmentKind

# Documents people send to an administration: scans, letters, tables, pictures.
DOCUMENT_TYPES = frozenset(
    {
        ".pdf",
        ".jpg",
        ".jpeg",
        ".png",
        ".doc",
        ".docx",
        ".odt",
        ".rtf",
        ".txt",
        ".xls",
        ".xlsx",
        ".ods",
    }
)
KEPT = (AttachmentKind.PHOTO, AttachmentKind.DOCUMENT)


def refusal(ctx: Context, attachment: Attachment) -> str | None:
    """The text key telling why a file is not taken, or None when it is fine."""
    suffix = PurePosixPath(attachment.name.lower()).suffix
    if attachment.kind is AttachmentKind.DOCUMENT and suffix not in DOCUMENT_TYPES:
        return "file-type-refused"
    if attachment.size is not None and attachment.size > ctx.settings.file_max_bytes:
        return "file-too-large"
    return None


def incoming(ctx: Context) -> tuple[list[Attachment], list[str]]:
    """The photos and documents of this message, tagged with their platform; and the
    refusals (text keys) for those that cannot be taken."""
    taken, refused = [], []
    for attachment in ctx.incoming.attachments:
        if attachment.kind not in KEPT:
            continue
        reason = refusal(ctx, attachment)
        if reason:
            refused.append(reason)
        else:
            taken.append(
                Attachment(
                    attachment.kind,
                    attachment.file_id,
                    attachment.name,
                    attachment.size,
                    ctx.incoming.platform.value,
                )
            )
    return taken, refused


def tell_refusals(ctx: Context, refused: list[str]) -> None:
    for key in dict.fromkeys(refused):
        ctx.reply(
            key,
            types=", ".join(sorted(DOCUMENT_TYPES)),
            max=ctx.settings.file_max_bytes // (1024 * 1024),
        )
