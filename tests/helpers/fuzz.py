"""What a fuzzing citizen sends: random text, commands (ours with garbage arguments and made
up ones), forged button data, in any script and length."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Each example is one batch into the same running bot (a function-scoped fixture, on purpose).
batches = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

COMMANDS = (
    "start", "new", "my", "cancel", "faq", "info", "lang", "access", "propose", "polls",
    "discussions", "groups", "corruption", "opendata", "mydata", "forget", "reply", "take",
    "close", "assign", "merge", "history", "extend", "report", "usage", "poll_new",
    "mailing_new", "group_add", "operator", "qr", "zzz", "",
)  # fmt: skip
KINDS = ("m", "f", "my", "op", "r", "rr", "q", "add", "faq", "i", "lang", "ac", "pl", "pb",
         "pd", "g", "mb", "ml", "mc", "me", "x")  # fmt: skip

texts = st.text(max_size=5000)
commands = st.builds(
    lambda name, args: f"/{name} {args}".strip(), st.sampled_from(COMMANDS), st.text(max_size=60)
)
payloads = st.one_of(
    st.text(max_size=64),
    st.builds(
        lambda kind, parts: ":".join([kind, *parts]),
        st.sampled_from(KINDS),
        st.lists(st.text(alphabet="0123456789abcdefxyz-:", max_size=12), max_size=4),
    ),
)
inputs = st.lists(
    st.one_of(
        st.tuples(st.just("text"), st.one_of(texts, commands)),
        st.tuples(st.just("press"), payloads),
    ),
    min_size=1,
    max_size=6,
)
