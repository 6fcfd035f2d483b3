"""The second factor: TOTP set-up with a QR code and the key as text, verification, recovery codes."""

from __future__ import annotations

import re

import pyotp
import pytest

from functions.clock import FixedClock
from functions.people import two_factor
from functions.web.security import CSRF_FIELD
from tests.factories import form_token

START = 1_900_000_020


@pytest.fixture
def clock(app) -> FixedClock:
    app.state.clock = FixedClock(START)
    return app.state.clock


@pytest.fixture
def ada(people):
    return people.add("ada@aberdeencity.gov.uk", council="ABE", role="super-user")


def secret_from(page: str) -> str:
    return re.search(r'<code id="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")


def code(secret: str, at: int) -> str:
    return pyotp.TOTP(secret).at(at)


def submit(client, path: str, value: str, next_path: str = ""):
    return client.post(path, data={"code": value, "next": next_path, CSRF_FIELD: form_token(client)}, follow_redirects=False)


def set_up(client, clock) -> tuple[str, list[str]]:
    page = client.get("/app/security/two-factor")
    secret = secret_from(page.text)
    done = submit(client, "/app/security/two-factor", code(secret, clock.now()), "/app/councils/ABE/members")
    assert done.status_code == 200, done.text
    codes = re.findall(r"<li><code>([A-Z2-9]{5}-[A-Z2-9]{5})</code></li>", done.text)
    return secret, codes


def test_the_set_up_page_shows_the_key_as_text_a_qr_code_and_instructions(client, people, ada, clock):
    people.sign_in(client, ada)
    page = client.get("/app/security/two-factor")
    assert page.status_code == 200
    assert re.search(r'<code id="secret">[A-Z2-7 ]{32,}</code>', page.text)
    assert '<div class="tie-qr" role="img" aria-label=' in page.text and "<svg" in page.text
    assert "authenticator app" in page.text
    assert secret_from(client.get("/app/security/two-factor").text) == secret_from(page.text)  # the same key until confirmed


def test_a_super_user_sets_up_the_second_factor_and_gets_recovery_codes_once(client, people, ada, clock, app):
    people.sign_in(client, ada)
    assert client.get("/app/councils/ABE/members", follow_redirects=False).status_code == 303
    secret, codes = set_up(client, clock)
    assert len(codes) == two_factor.RECOVERY_CODES
    assert client.get("/app/councils/ABE/members").status_code == 200  # this session is now verified
    with app.state.store.transaction() as tx:
        stored = str(tx.all("SELECT * FROM recovery_codes")) + str(tx.all("SELECT * FROM two_factor"))
    assert not any(c in stored or c.replace("-", "") in stored for c in codes)
    assert secret not in stored  # the key is derived, never stored
    assert "<code>" not in client.get("/app/security/two-factor").text.split("recovery code")[0]


def test_a_new_session_must_verify_the_second_factor_again(client, people, ada, clock):
    people.sign_in(client, ada)
    secret, _ = set_up(client, clock)
    people.sign_in(client, ada)  # a new sign-in
    r = client.get("/app/councils/ABE/members", follow_redirects=False)
    assert r.headers["location"] == "/app/security/two-factor?next=%2Fapp%2Fcouncils%2FABE%2Fmembers"
    clock.advance(30)
    ok = submit(client, "/app/security/two-factor/verify", code(secret, clock.now()), "/app/councils/ABE/members")
    assert ok.status_code == 303 and ok.headers["location"] == "/app/councils/ABE/members"
    assert client.get("/app/councils/ABE/members").status_code == 200


def test_a_wrong_or_replayed_code_is_refused(client, people, ada, clock):
    people.sign_in(client, ada)
    secret, _ = set_up(client, clock)
    people.sign_in(client, ada)
    assert submit(client, "/app/security/two-factor/verify", "000000").status_code == 422
    used = code(secret, clock.now())  # the code that confirmed the set-up
    assert submit(client, "/app/security/two-factor/verify", used).status_code == 422
    assert client.get("/api/me").json()["session"]["second_factor_verified"] is False


def test_a_recovery_code_works_once_in_place_of_a_code(client, people, ada, clock):
    people.sign_in(client, ada)
    _, codes = set_up(client, clock)
    people.sign_in(client, ada)
    assert submit(client, "/app/security/two-factor/verify", codes[0].lower().replace("-", " ")).status_code == 303
    assert client.get("/api/me").json()["session"]["second_factor_verified"] is True
    people.sign_in(client, ada)
    assert submit(client, "/app/security/two-factor/verify", codes[0]).status_code == 422
    assert submit(client, "/app/security/two-factor/verify", codes[1]).status_code == 303


def test_guessing_codes_is_limited(client, people, ada, clock):
    people.sign_in(client, ada)
    set_up(client, clock)
    people.sign_in(client, ada)
    for _ in range(two_factor.ATTEMPTS.hits - 1):  # the set-up used one attempt
        assert submit(client, "/app/security/two-factor/verify", "123456").status_code == 422
    limited = submit(client, "/app/security/two-factor/verify", "123456")
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0


def test_codes_one_step_either_side_are_accepted_and_no_further(fresh_store):
    from functions.people import store as people

    with fresh_store.transaction() as tx:
        ada, _ = people.find_or_create(tx, "ada@aberdeencity.gov.uk", START)
        salt = two_factor.begin(tx, ada.id, START)
        secret = two_factor.secret("key", salt)
        assert not two_factor.check_code(tx, "key", ada.id, code(secret, START - 60), START)
        assert two_factor.check_code(tx, "key", ada.id, code(secret, START - 30), START)
        assert two_factor.check_code(tx, "key", ada.id, code(secret, START + 30), START)
        assert not two_factor.check_code(tx, "key", ada.id, code(secret, START), START)  # older than the last one used
        assert not two_factor.check_code(tx, "key", ada.id, code(secret, START + 90), START)


OTHER_DIGITS = {
    "Arabic-Indic": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
    "fullwidth": str.maketrans("0123456789", "０１２３４５６７８９"),
    "Devanagari": str.maketrans("0123456789", "०१२३४५६७८९"),
}


@pytest.mark.parametrize("script", OTHER_DIGITS)
def test_the_right_code_in_another_scripts_digits_is_refused_on_either_database(fresh_store, script):
    """`isdigit` took other scripts' digits, and comparing them with the code raised: a 500."""
    from functions.people import store as people

    with fresh_store.transaction() as tx:
        ada, _ = people.find_or_create(tx, "ada@aberdeencity.gov.uk", START)
        secret = two_factor.secret("key", two_factor.begin(tx, ada.id, START))
        right = code(secret, START)
        assert not two_factor.check_code(tx, "key", ada.id, right.translate(OTHER_DIGITS[script]), START)
        assert not two_factor.use_recovery_code(tx, "key", ada.id, right.translate(OTHER_DIGITS[script]), START)
        assert two_factor.check_code(tx, "key", ada.id, f" {right[:3]} {right[3:]} ", START)  # spaces between are fine


def test_a_code_in_other_digits_gets_a_page_saying_what_is_expected(client, people, ada, clock):
    people.sign_in(client, ada)
    page = client.get("/app/security/two-factor")
    right = code(secret_from(page.text), clock.now())
    for path in ("/app/security/two-factor", "/app/security/two-factor/verify"):
        r = submit(client, path, right.translate(OTHER_DIGITS["Arabic-Indic"]))
        assert r.status_code == 422 and "code: expected the 6 digits (0 to 9) your authenticator app shows now" in r.text
    assert client.get("/api/me").json()["session"]["second_factor_verified"] is False
    assert submit(client, "/app/security/two-factor", right).status_code == 200  # the same code in 0-9 sets it up
