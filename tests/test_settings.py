"""Settings: the site address must be https, except on this machine; a refused setting stops `tie` with exit 2."""

from __future__ import annotations

import pytest

from functions.settings import SettingsError, from_env

EXPECTED = "TIE_SITE_URL: expected an https:// address (plain http only on localhost), got "


def settings_for(tmp_path, site_url: str):
    return from_env(
        {"TIE_SITE_URL": site_url, "TIE_DATA_DIR": str(tmp_path / "data"), "TIE_SECRET_KEY": "test-secret"}, root=tmp_path
    )


@pytest.mark.parametrize(
    "site_url",
    [
        "http://exchange.example.gov.uk",
        "http://203.0.113.7:8000",
        "http://localhost.example.gov.uk",
        "http://127.0.0.1.example.gov.uk",
    ],
)
def test_a_plain_http_site_address_on_another_host_is_refused(tmp_path, site_url):
    with pytest.raises(SettingsError) as refused:
        settings_for(tmp_path, site_url)
    assert str(refused.value) == EXPECTED + site_url


@pytest.mark.parametrize(
    "site_url", ["http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000", "https://exchange.example.gov.uk"]
)
def test_plain_http_is_accepted_on_this_machine_and_https_anywhere(tmp_path, site_url):
    assert settings_for(tmp_path, site_url).site_url == site_url


def test_tie_stops_with_exit_2_and_one_line_naming_the_site_address(tmp_path, monkeypatch, capsys):
    from generator.__main__ import main

    # every other setting is set here, valid, so that a local .env cannot stop `tie` first
    for name, value in {
        "TIE_SITE_URL": "http://exchange.example.gov.uk",
        "TIE_DATA_DIR": str(tmp_path / "data"),
        "TIE_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'exchange.sqlite3'}",
        "TIE_SECRET_KEY": "test-secret",
        "TIE_EDITOR": "0",
        "PORT": "8000",
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["check"]) == 2
    console = capsys.readouterr()
    assert console.out == ""
    assert console.err == f"tie: {EXPECTED}http://exchange.example.gov.uk\n"
