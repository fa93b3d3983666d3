"""The key bar at the bottom, in the app's language, rebuilt once per burst of binding changes."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from trials.i18n import DEFAULT_LOCALE
from tui.texts import TEXTS, t


def binding(keys: str, action: str, id: str, **kwargs: Any) -> Binding:
    """A binding named ``keys.<id>`` in the texts (the key bar shows that name in the app's language)."""
    return Binding(keys, action, t(f"keys.{id}"), id=id, **kwargs)


def key_name(binding: Binding, locale: str) -> str:
    """A binding's name in a locale (its ``keys.<id>`` text; else the description it was given)."""
    if binding.id:
        text = TEXTS.get(f"keys.{binding.id}", locale)
        if text is not None:
            return text
    return binding.description


class KeyBar(Footer):
    """Textual's footer with each key named in the app's language (``app.locale``).

    An answer changes focus, highlights and bindings several times in one go, and each change
    would otherwise rebuild the footer: it is rebuilt once per burst."""

    _wanted = 0  # binding changes seen
    _built = 0  # binding changes the key bar shows

    def __init__(self) -> None:
        super().__init__(show_command_palette=False, compact=True)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        locale = str(getattr(self.app, "locale", DEFAULT_LOCALE))
        shown: dict[str, tuple[Binding, bool, str]] = {}
        for _node, item, enabled, tooltip in self.screen.active_bindings.values():
            if item.show:
                shown.setdefault(item.action, (item, enabled, tooltip))  # one key per action
        for item, enabled, tooltip in shown.values():
            yield FooterKey(
                item.key,
                self.app.get_key_display(item),
                key_name(item, locale),
                item.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            # Every change schedules a rebuild; the first to run shows them all and the rest are
            # skipped. (A "rebuild pending" flag could stay set if its callback never ran, and the
            # key bar would never change again.)
            self._wanted += 1
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        if self._built == self._wanted:
            return
        self._built = self._wanted
        await self.recompose()
