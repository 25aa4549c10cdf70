"""Translations: Dutch, French and German complete (the .po files, and the compiled .mo files against the
messages the source uses now), .mo files compiled from the .po files as committed, and the pages speak
the language the visitor asks for.

The catalogue checks are unit tests (a tiny PO reader, no database); they use GNU msgfmt when it is
installed and skip those checks with a reason when it is not. The page checks are integration tests.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

import helix
from tests.factories import UserFactory

LOCALE_DIR = Path(helix.__file__).resolve().parent / "locale"
LANGUAGES = ("nl", "fr", "de")
COMPLETE = {"nl", "fr", "de"}  # every message translated, nothing fuzzy

unit = pytest.mark.unit  # catalogue checks; the page checks below are marked integration


# --- a tiny PO reader ----------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return not self.fuzzy and bool(self.msgstr) and all(self.msgstr.values())


KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')


def parse_po(path: Path) -> list[Entry]:
    """Entries of a PO file, header first; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def flush() -> None:
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                flush()
            continue
        if line.startswith("#"):
            if entry.msgstr:
                flush()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        match = KEYWORD.match(line)
        if match:
            keyword, index, text = match.groups()
            if keyword in ("msgctxt", "msgid") and entry.msgstr:
                flush()
            target = (keyword, int(index or 0))
            value = ast.literal_eval(text)
        elif line.startswith('"') and target is not None:
            _append(entry, target, ast.literal_eval(line))
            continue
        else:
            raise ValueError(f"{path}: cannot read line {raw!r}")
        _set(entry, target, value)
    flush()
    return entries


def _set(entry: Entry, target: tuple[str, int], value: str) -> None:
    keyword, index = target
    if keyword.startswith("msgstr"):
        entry.msgstr[index] = value
    else:
        setattr(entry, keyword, value)


def _append(entry: Entry, target: tuple[str, int], value: str) -> None:
    keyword, index = target
    if keyword.startswith("msgstr"):
        entry.msgstr[index] += value
    else:
        setattr(entry, keyword, getattr(entry, keyword) + value)


def catalogue(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def messages(language: str) -> list[Entry]:
    return [e for e in parse_po(catalogue(language)) if not e.is_header]


def msgfmt() -> str:
    found = shutil.which("msgfmt")
    if found is None:
        pytest.skip("GNU gettext's msgfmt is not installed (apt install gettext)")
    return found


# --- catalogue checks (unit) ---------------------------------------------------------------------


@unit
def test_the_tiny_reader_reads_plurals_continuations_flags_and_context(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid ""\n"Long %(x)s "\n"text"\nmsgstr "Lange %(x)s tekst"\n\n'
        'msgctxt "month"\nmsgid "May"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "%(n)s file"\nmsgid_plural "%(n)s files"\nmsgstr[0] "%(n)s bestand"\n'
        'msgstr[1] "%(n)s bestanden"\n\n#~ msgid "Gone"\n#~ msgstr "Weg"\n',
        encoding="utf-8",
    )
    header, long, may, files = parse_po(po)
    assert header.is_header
    assert header.msgstr == {0: "Language: nl\n"}
    assert (long.msgid, long.msgstr, long.flags, long.translated) == (
        "Long %(x)s text",
        {0: "Lange %(x)s tekst"},
        {"python-format"},
        True,
    )
    assert (may.msgctxt, may.translated) == ("month", False)
    assert (files.msgid_plural, files.msgstr[1], files.fuzzy, files.translated) == (
        "%(n)s files",
        "%(n)s bestanden",
        True,
        False,
    )


@unit
def test_there_is_a_catalogue_for_every_language_but_the_source():
    others = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    assert others == set(LANGUAGES)
    assert [str(p) for p in settings.LOCALE_PATHS] == [str(LOCALE_DIR)]
    for language in LANGUAGES:
        assert catalogue(language).is_file(), f"run `make messages` to create the {language} catalogue"


@unit
@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_header_names_its_language_and_is_not_fuzzy(language):
    header = parse_po(catalogue(language))[0]
    assert header.is_header
    assert not header.fuzzy
    assert f"Language: {language}\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2;" in header.msgstr[0]


@unit
@pytest.mark.parametrize("language", sorted(COMPLETE))
def test_catalogue_is_complete(language):
    entries = messages(language)
    untranslated = [e.msgid for e in entries if not e.fuzzy and not e.translated]
    fuzzy = [e.msgid for e in entries if e.fuzzy]
    assert entries, "the catalogue is empty"
    assert untranslated == []
    assert fuzzy == []


# A literal "%%" is no placeholder: match it first (as its own alternative) and drop it below.
PLACEHOLDER = re.compile(r"%%|%(?:\(\w+\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]")


@unit
@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    wrong = []
    for entry in messages(language):
        if "python-format" not in entry.flags or not entry.translated:
            continue
        expected = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or ""))) - {"%%"}
        wrong += [
            (entry.msgid, form)
            for form in entry.msgstr.values()
            if set(PLACEHOLDER.findall(form)) - {"%%"} != expected
        ]
    assert wrong == []


@unit
@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_messages_have_every_plural_form(language):
    incomplete = [
        e.msgid for e in messages(language) if e.msgid_plural is not None and sorted(e.msgstr) != [0, 1]
    ]
    assert incomplete == []


@unit
@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_passes_msgfmt_check_format(language):
    result = subprocess.run(
        [msgfmt(), "--check-format", "-o", "/dev/null", str(catalogue(language))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def load_mo(path: Path) -> gettext.GNUTranslations:
    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle)


@unit
@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_mo_serves_every_translation_of_the_po(language):
    """Without msgfmt: each translated message of the .po comes out of the committed .mo."""
    mo_path = catalogue(language).with_suffix(".mo")
    assert mo_path.is_file(), f"run `make messages` to compile the {language} catalogue"
    mo = load_mo(mo_path)
    stale = []
    for entry in messages(language):
        if not entry.translated:
            continue
        if entry.msgid_plural is None:
            got = (
                mo.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt is not None
                else mo.gettext(entry.msgid)
            )
            stale += [entry.msgid] if got != entry.msgstr[0] else []
            continue
        for index, expected in entry.msgstr.items():
            n = next(n for n in range(1000) if mo.plural(n) == index)
            if entry.msgctxt is not None:
                got = mo.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
            else:
                got = mo.ngettext(entry.msgid, entry.msgid_plural, n)
            stale += [f"{entry.msgid} [{index}]"] if got != expected else []
    assert stale == [], "the .mo is older than the .po: run `make messages`"


@unit
@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_mo_equals_the_po_compiled_now(language, tmp_path):
    """With msgfmt: the committed .mo holds exactly the messages of the .po, no more and no fewer."""
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt(), "--check-format", "-o", str(fresh), str(catalogue(language))], check=True)
    committed = load_mo(catalogue(language).with_suffix(".mo"))
    compiled = load_mo(fresh)
    assert committed.info().get("plural-forms") == compiled.info().get("plural-forms")
    assert _messages_of(committed) == _messages_of(compiled), (
        "the .mo is out of date with the .po: run `make messages`"
    )


def _messages_of(translations: gettext.GNUTranslations) -> dict[object, str]:
    catalog: dict[object, str] = translations._catalog  # type: ignore[attr-defined]
    return {key: value for key, value in catalog.items() if key != ""}  # "" is the header


# --- the messages the source uses now, against the compiled catalogues (unit) --------------------

SOURCE_DIR = LOCALE_DIR.parent
XGETTEXT_KEYWORDS = (  # the keywords `makemessages` gives xgettext for the "django" domain
    "gettext_noop", "gettext_lazy", "ngettext_lazy:1,2", "pgettext:1c,2", "npgettext:1c,2,3",
    "pgettext_lazy:1c,2", "npgettext_lazy:1c,2,3",
)  # fmt: skip


def used_messages(workdir: Path) -> list[Entry]:
    """The messages the source uses now, extracted as `make messages` does (src/helix without core/;
    templates through Django's templatize, then GNU xgettext) but written to ``workdir``, not to the
    catalogues: new messages count before anyone has run `make messages`."""
    from django.utils.translation import templatize

    xgettext = shutil.which("xgettext")
    if xgettext is None:
        pytest.skip("GNU gettext's xgettext is not installed (apt install gettext)")
    inputs = []
    for path in sorted(SOURCE_DIR.rglob("*")):
        relative = path.relative_to(SOURCE_DIR)
        if path.suffix not in {".py", ".html", ".txt"} or relative.parts[0] in {"core", "locale", "static"}:
            continue
        if path.suffix == ".py":
            inputs.append(str(path))
            continue
        copy = workdir / f"{'__'.join(relative.parts)}.py"
        copy.write_text(templatize(path.read_text(encoding="utf-8"), origin=str(relative)), encoding="utf-8")
        inputs.append(str(copy))
    listing = workdir / "files.txt"
    listing.write_text("\n".join(inputs), encoding="utf-8")
    pot = workdir / "django.pot"
    subprocess.run(
        [xgettext, "--language=Python", "--from-code=UTF-8", "--no-location", f"--output={pot}",
         *(f"--keyword={k}" for k in XGETTEXT_KEYWORDS), f"--files-from={listing}"],
        check=True, capture_output=True,
    )  # fmt: skip
    return [e for e in parse_po(pot) if not e.is_header]


def catalogue_key(entry: Entry) -> object:
    """The key under which a compiled catalogue (gettext's ``_catalog``) holds ``entry``'s translation."""
    msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
    return msgid if entry.msgid_plural is None else (msgid, 0)


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory: pytest.TempPathFactory) -> list[Entry]:
    return used_messages(tmp_path_factory.mktemp("messages"))


@unit
@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_translates_every_message_the_source_uses(language, source_messages):
    """What the site serves (the .mo) translates every message the templates and code use today; a
    message added since the last `make messages` fails here until it is extracted and translated."""
    catalog = _messages_of(load_mo(catalogue(language).with_suffix(".mo")))
    missing = sorted({e.msgid for e in source_messages if not catalog.get(catalogue_key(e))})
    assert source_messages, "xgettext found no message"
    assert missing == [], (
        f"{len(missing)} of {len(source_messages)} messages have no {language} translation in the "
        "compiled catalogue: run `make messages`, translate them, and compile"
    )


# --- the pages speak the visitor's language (integration) ----------------------------------------


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """LocaleMiddleware activates the visitor's language for the thread; do not leak it to other tests."""
    yield
    translation.deactivate()


# Per language: words the page must show, and their English source it must no longer show.
DIRECTORY = {
    "en": (["Directory of organisations", ">Search</button>", "Apply filters"], ["Organisatiegids"]),
    "nl": (
        ["Organisatiegids", ">Zoeken</button>", "Filters toepassen", "Zoeken in de gids"],
        ["Directory of organisations", ">Search</button>", "Apply filters", "Search the directory"],
    ),
    "fr": (
        ["Annuaire des organisations", ">Rechercher</button>", "Appliquer les filtres"],
        ["Directory of organisations", ">Search</button>", "Apply filters", "Search the directory"],
    ),
    "de": (
        ["Verzeichnis der Organisationen", ">Suchen</button>", "Filter anwenden"],
        ["Directory of organisations", ">Search</button>", "Apply filters", "Search the directory"],
    ),
}


@pytest.mark.integration
@pytest.mark.django_db
@pytest.mark.parametrize("language", sorted(DIRECTORY))
def test_directory_page_speaks_the_accepted_language(client, language):
    response = client.get(reverse("registry:directory"), headers={"accept-language": language})
    page = response.content.decode()
    shown, hidden = DIRECTORY[language]
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    assert f'<html lang="{language}">' in page
    assert [word for word in shown if word not in page] == []
    assert [word for word in hidden if word in page] == []


@pytest.mark.integration
@pytest.mark.django_db
def test_login_page_speaks_dutch(client):
    page = client.get(reverse("login"), headers={"accept-language": "nl"}).content.decode()
    assert "<title>Aanmelden · Helix</title>" in page
    assert "Wachtwoord vergeten?" in page
    assert "Gebruikersnaam" in page  # Django's own catalogue translates the form fields
    assert "Log in" not in page
    assert "Forgot your password?" not in page


@pytest.mark.integration
@pytest.mark.django_db
def test_language_chosen_in_the_menu_sticks(client):
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert (response.status_code, response["Location"]) == (302, "/")
    page = client.get(reverse("registry:directory")).content.decode()
    assert ">Zoeken</button>" in page
    assert "Directory of organisations" not in page
    login = client.get(reverse("login")).content.decode()
    assert "Wachtwoord vergeten?" in login
    assert "Forgot your password?" not in login


@pytest.mark.integration
@pytest.mark.django_db
def test_password_reset_mail_is_in_dutch(client):
    UserFactory(username="an", email="an@example.org")
    response = client.post(
        reverse("password_reset"), {"email": "an@example.org"}, headers={"accept-language": "nl"}
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "Kies een nieuw Helix-wachtwoord"
    assert message.body.startswith("Hallo an,")
    assert "Iemand heeft gevraagd om het wachtwoord van uw Helix-account op testserver" in message.body
    assert "uw wachtwoord blijft ongewijzigd" in message.body
    assert "Someone asked" not in message.body
