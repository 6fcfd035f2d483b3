"""Settings: the site address must be https, except on this machine; a refused setting stops `tie` with exit 2."""

from __future__ import annotations

import pytest

from functions.settings import SettingsError, from_env

EXPECTED = "TIE_SITE_URL: expected an https:// address (plain http only on localhost), got "


def settings_for(tmp_path, site_url: str, **more: str):
    env = {"TIE_SITE_URL": site_url, "TIE_DATA_DIR": str(tmp_path / "data"), "TIE_SECRET_KEY": "test-secret"}
    return from_env(env | more, root=tmp_path)


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


def test_an_https_site_address_is_recognised_whatever_the_case_of_its_scheme(tmp_path):
    settings = settings_for(tmp_path, "HTTPS://Exchange.Example.gov.uk:443")
    assert settings.https and settings.host == "exchange.example.gov.uk"
    assert settings.origin == "https://exchange.example.gov.uk"  # as a browser sends it in Origin
    assert settings_for(tmp_path, "https://exchange.example.gov.uk:8443").origin == "https://exchange.example.gov.uk:8443"
    assert settings_for(tmp_path, "http://[::1]:8000").origin == "http://[::1]:8000"


@pytest.mark.parametrize("proxies, expected", [("", ()), ("10.0.0.5", ("10.0.0.5",)), (" 10.0.0.5, 10.1.0.0/16 ,fd00::/8", ("10.0.0.5", "10.1.0.0/16", "fd00::/8"))])
def test_trusted_proxies_are_a_list_of_addresses_and_networks(tmp_path, proxies, expected):
    assert settings_for(tmp_path, "https://exchange.example.gov.uk", TIE_TRUSTED_PROXIES=proxies).trusted_proxies == expected


@pytest.mark.parametrize("proxies", ["*", "proxy.internal", "10.0.0.5/8", "10.0.0.0/33"])
def test_a_trusted_proxy_that_is_not_an_address_or_a_network_is_refused(tmp_path, proxies):
    with pytest.raises(SettingsError, match="^TIE_TRUSTED_PROXIES: expected the reverse proxies' addresses or networks"):
        settings_for(tmp_path, "https://exchange.example.gov.uk", TIE_TRUSTED_PROXIES=proxies)


@pytest.mark.parametrize("port", ["²", "٨٠٨٠", "80a", "0", "65536"])
def test_a_port_that_is_not_a_number_from_1_to_65535_in_digits_0_to_9_is_refused(tmp_path, port):
    """`isdigit` took ², which `int` cannot read (a traceback), and ٨٠٨٠, which it reads as 8080."""
    with pytest.raises(SettingsError, match=f"^PORT: expected a port number from 1 to 65535, got '{port}'$"):
        settings_for(tmp_path, "http://127.0.0.1:8000", PORT=port)
