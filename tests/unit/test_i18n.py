"""Texts: both languages complete and consistent, every key the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.i18n import Renderer, TemplateError
from handlers.contracts import Text
from tests.helpers.settings import LOCALES, ROOT, TEMPLATES, make_settings


def test_every_key_in_every_language_with_the_same_parameters(renderer: Renderer) -> None:
    ru, en = renderer.keys("ru"), renderer.keys("en")
    assert ru == en
    for key in ru:
        assert renderer.variables("ru", key) == renderer.variables("en", key), key


def _keys_used_in_code() -> set[str]:
    used: set[str] = set()
    for folder in ("handlers", "bot"):
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            used |= set(re.findall(r'Text\(\s*"([a-z0-9-]+)"', source))
            used |= set(re.findall(r'(?:\.reply|_say)\(\s*"([a-z0-9-]+)"', source))
            used |= set(re.findall(r'_button\(\s*ctx,\s*"([a-z0-9-]+)"', source))
    return used


def test_every_key_the_code_uses_exists(renderer: Renderer) -> None:
    used = _keys_used_in_code()
    assert len(used) > 40
    missing = sorted(key for key in used if key not in renderer.keys("ru"))
    assert missing == []


def test_dynamic_keys_exist(renderer: Renderer) -> None:
    keys = renderer.keys("ru")
    from handlers.appeals.lifecycle import Action
    from storage.models import AppealStatus

    for status in AppealStatus:
        assert f"status-{status.value.replace('_', '-')}" in keys
    for action in Action:
        assert f"action-{action.value}" in keys
        assert f"history-{action.value}" in keys
    from handlers.features import REGISTRY

    # Each command has its line in /help, and its description in a messenger's menu.
    assert {"about-take", "cmd-take", "help-title-operators"} <= REGISTRY.texts_needed()
    assert sorted(REGISTRY.texts_needed() - keys) == []


def test_button_labels_fit_vk(renderer: Renderer) -> None:
    for locale in LOCALES:
        for key in renderer.keys(locale):
            if key.startswith("btn-") and key not in ("btn-raw", "btn-appeal"):
                label = renderer.render_plain(locale, (Text(key),))
                assert len(label) <= 40, (locale, key)


def _copy_templates(tmp_path: Path) -> Path:
    for locale in LOCALES:
        (tmp_path / locale).mkdir()
        for path in (TEMPLATES / locale).glob("*.ftl"):
            (tmp_path / locale / path.name).write_text(path.read_text(encoding="utf-8"))
    return tmp_path


def test_a_key_missing_in_english_is_reported(tmp_path: Path) -> None:
    root = _copy_templates(tmp_path)
    path = root / "en" / "main.ftl"
    path.write_text(path.read_text().replace("fallback = ", "fallbak = "), encoding="utf-8")
    with pytest.raises(TemplateError, match="fallback"):
        Renderer.load(root, LOCALES, "ru")


def test_a_different_parameter_is_reported(tmp_path: Path) -> None:
    root = _copy_templates(tmp_path)
    path = root / "en" / "main.ftl"
    source = path.read_text().replace("Error code: { $code }", "Error code: { $kod }")
    path.write_text(source, encoding="utf-8")
    with pytest.raises(TemplateError, match="error-internal"):
        Renderer.load(root, LOCALES, "ru")


def test_a_syntax_error_names_the_line(tmp_path: Path) -> None:
    root = _copy_templates(tmp_path)
    path = root / "ru" / "main.ftl"
    path.write_text(path.read_text() + "\nбитый ключ без знака равенства\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"main.ftl:\d+: cannot parse"):
        Renderer.load(root, LOCALES, "ru")


def test_parameters_are_escaped_and_may_be_long(renderer: Renderer) -> None:
    long_text = "<script>" + "а" * 5000
    html = renderer.render("ru", (Text("line-text", {"text": long_text}),))
    assert html == "Текст: &lt;script&gt;" + "а" * 5000
    assert renderer.render_plain("ru", (Text("line-text", {"text": long_text}),)) == (
        "Текст: " + long_text
    )


def test_plural_and_select_variants(renderer: Renderer) -> None:
    def registered(days: int) -> str:
        text = Text("appeal-registered", {"number": "1", "date": "d", "due": "x", "days": days})
        return renderer.render_plain("ru", (text,))

    assert "в течение 21 дня" in registered(21)
    assert "в течение 30 дней" in registered(30)
    channel = renderer.render_plain("ru", (Text("line-channel", {"channel": "vk"}),))
    assert channel == "Канал: ВКонтакте"


def test_a_command_without_its_help_line_stops_the_start(tmp_path: Path) -> None:
    import shutil

    from bot.app import load_texts

    root = tmp_path / "templates"
    shutil.copytree(TEMPLATES, root)
    for locale in LOCALES:
        path = root / locale / "main.ftl"
        kept = [line for line in path.read_text().splitlines() if not line.startswith("about-qr")]
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="about-qr"):
        load_texts(make_settings(templates_dir=root))


def test_a_channel_select_without_every_messenger_is_reported(tmp_path: Path) -> None:
    # A messenger added later (as MAX was) must get its own wording, not the console's.
    root = _copy_templates(tmp_path)
    path = root / "ru" / "main.ftl"
    source = path.read_text().replace(
        "        [max] MAX\n       *[other] консоль", "       *[other] консоль", 1
    )
    path.write_text(source, encoding="utf-8")
    with pytest.raises(TemplateError, match=r"line-channel.*\['max'\]"):
        Renderer.load(root, LOCALES, "ru")


def test_parsed_texts_are_kept_between_starts_and_a_change_is_read(tmp_path: Path) -> None:
    """The start reads a parsed file back from the cache while the file is unchanged; an
    edit is parsed (and validated) again, and a damaged cache is parsed around."""
    (tmp_path / "t").mkdir()
    root, cache = _copy_templates(tmp_path / "t"), tmp_path / "cache"
    first = Renderer.load(root, LOCALES, "ru", cache=cache)
    kept = sorted(p.name for p in cache.glob("ftl-ru-main-*.pickle"))
    assert len(kept) == 1
    again = Renderer.load(root, LOCALES, "ru", cache=cache)
    assert again.render("ru", (Text("fallback"),)) == first.render("ru", (Text("fallback"),))

    path = root / "ru" / "main.ftl"
    path.write_text(
        path.read_text().replace("fallback = Я не понял", "fallback = Не понял"), encoding="utf-8"
    )
    edited = Renderer.load(root, LOCALES, "ru", cache=cache)
    assert edited.render("ru", (Text("fallback"),)).startswith("Не понял")
    now = sorted(p.name for p in cache.glob("ftl-ru-main-*.pickle"))
    assert len(now) == 1 and now != kept  # the old tree is gone

    (cache / now[0]).write_bytes(b"not a pickle")
    assert (
        Renderer.load(root, LOCALES, "ru", cache=cache)
        .render("ru", (Text("fallback"),))
        .startswith("Не понял")
    )
    # A broken edit is refused with a cache as without one.
    path.write_text(path.read_text() + "\nбитый ключ\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="cannot parse"):
        Renderer.load(root, LOCALES, "ru", cache=cache)
