"""Mail transports: the outbox writes real messages, SMTP talks to a real server (aiosmtpd)."""

from __future__ import annotations

import asyncio
import datetime
import email
import email.policy
import ipaddress
import ssl
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from ralliement.config import load_config
from ralliement.devstack.stack import free_port
from ralliement.mail import MailError, OutboxMailer, SmtpMailer, mailer_from_config

from .test_config import ENV, VALID, changed, write_registration

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

SENDER = "Ralliement <noreply@example.org>"
USER, PASSWORD = "ralliement", "s3cret-password"


def parse(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


# --- Outbox -------------------------------------------------------------------------


async def test_outbox_writes_a_message_file_readable_by_its_owner_only(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    mailer = OutboxMailer(outbox, SENDER)

    await mailer.send("alice@example.org", "Votre code : 012345", "Bonjour,\n\n    012345\n")

    (path,) = outbox.iterdir()
    assert path.suffix == ".eml"
    assert path.stat().st_mode & 0o777 == 0o600
    message = parse(path.read_bytes())
    assert message["From"] == SENDER
    assert message["To"] == "alice@example.org"
    assert message["Subject"] == "Votre code : 012345"
    assert message["Message-ID"].endswith("@example.org>")
    assert message["Date"]
    assert message.get_content() == "Bonjour,\n\n    012345\n"


async def test_outbox_keeps_accents_and_the_html_part_and_sorts_oldest_first(
    tmp_path: Path,
) -> None:
    mailer = OutboxMailer(tmp_path, SENDER)

    await mailer.send("bob@example.org", "Première", "Vérifiez l'adresse", "<p>Vérifiez</p>")
    await mailer.send("bob@example.org", "Deuxième", "Encore")

    first, second = (parse(p.read_bytes()) for p in sorted(tmp_path.glob("*.eml")))
    assert (first["Subject"], second["Subject"]) == ("Première", "Deuxième")
    assert first.is_multipart()
    text = first.get_body(("plain",))
    html = first.get_body(("html",))
    assert text is not None and text.get_content().strip() == "Vérifiez l'adresse"
    assert html is not None and "<p>Vérifiez</p>" in html.get_content()
    assert not list(tmp_path.glob(".*")), "no temporary file is left behind"


async def test_outbox_that_cannot_be_written_raises_mail_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")

    with pytest.raises(MailError, match="cannot write to the outbox folder"):
        await OutboxMailer(blocker / "outbox", SENDER).send("a@example.org", "s", "t")


async def test_an_address_with_a_line_break_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MailError):
        await OutboxMailer(tmp_path, SENDER).send("a@example.org\nBcc: b@example.org", "s", "t")
    assert not list(tmp_path.iterdir())


# --- SMTP ---------------------------------------------------------------------------


@dataclass
class Inbox:
    """What the test SMTP server received."""

    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd hook
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, parse(envelope.content)))
        return "250 OK"


def check_password(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    if isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    ):
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    """A plain SMTP server on a free loopback port."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


@pytest.fixture
def auth_server() -> Iterator[tuple[int, Inbox]]:
    """An SMTP server that wants a login (over plain text: this is a test)."""
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=check_password,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


async def test_smtp_plain(smtp_server: tuple[int, Inbox]) -> None:
    port, inbox = smtp_server
    mailer = SmtpMailer("127.0.0.1", port, SENDER, security="none", timeout_s=5)

    await mailer.send("alice@example.org", "Votre code : 123456", "Le code : 123456")

    ((sender, recipients, message),) = inbox.messages
    assert (sender, recipients) == ("noreply@example.org", ["alice@example.org"])
    assert message["Subject"] == "Votre code : 123456"
    assert message.get_content().strip() == "Le code : 123456"


async def test_smtp_with_login(auth_server: tuple[int, Inbox]) -> None:
    port, inbox = auth_server
    mailer = SmtpMailer(
        "127.0.0.1", port, SENDER, security="none", username=USER, password=PASSWORD, timeout_s=5
    )

    await mailer.send("alice@example.org", "Sujet", "Texte")

    assert [recipients for _, recipients, _ in inbox.messages] == [["alice@example.org"]]


async def test_smtp_wrong_password_names_the_login_not_the_password(
    auth_server: tuple[int, Inbox],
) -> None:
    port, inbox = auth_server
    mailer = SmtpMailer(
        "127.0.0.1", port, SENDER, security="none", username=USER, password="wrong-pw", timeout_s=5
    )

    with pytest.raises(MailError) as error:
        await mailer.send("alice@example.org", "Sujet", "Texte")

    assert "refused the login of 'ralliement'" in str(error.value)
    assert "wrong-pw" not in str(error.value) and "wrong-pw" not in repr(mailer)
    assert inbox.messages == []


async def test_smtp_without_login_where_one_is_required(auth_server: tuple[int, Inbox]) -> None:
    port, _ = auth_server
    mailer = SmtpMailer("127.0.0.1", port, SENDER, security="none", timeout_s=5)

    with pytest.raises(MailError, match="refused"):
        await mailer.send("alice@example.org", "Sujet", "Texte")


async def test_smtp_closed_port() -> None:
    port = free_port()  # nothing listens there
    mailer = SmtpMailer("127.0.0.1", port, SENDER, security="none", timeout_s=5)

    with pytest.raises(MailError, match=f"cannot connect to the SMTP server 127.0.0.1:{port}"):
        await mailer.send("alice@example.org", "Sujet", "Texte")


async def test_smtp_server_that_never_answers() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # say nothing until the client gives up
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    mailer = SmtpMailer("127.0.0.1", port, SENDER, security="none", timeout_s=1)
    try:
        with pytest.raises(MailError, match="did not answer within 1 s"):
            await mailer.send("alice@example.org", "Sujet", "Texte")
    finally:
        server.close()
        await server.wait_closed()


async def test_starttls_required_but_not_offered(smtp_server: tuple[int, Inbox]) -> None:
    port, inbox = smtp_server
    mailer = SmtpMailer("127.0.0.1", port, SENDER, security="starttls", timeout_s=5)

    with pytest.raises(MailError, match="STARTTLS extension not supported"):
        await mailer.send("alice@example.org", "Sujet", "Texte")

    assert inbox.messages == []


# --- SMTP over TLS (a certificate made for the test) --------------------------------


@dataclass(frozen=True)
class Certificate:
    server: ssl.SSLContext
    client: ssl.SSLContext


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A self-signed certificate for 127.0.0.1, and contexts trusting it."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_path, key_path)
    client = ssl.create_default_context(cafile=str(cert_path))
    return Certificate(server, client)


@pytest.fixture
async def starttls_server(certificate: Certificate) -> AsyncIterator[tuple[int, Inbox]]:
    """An SMTP server that offers STARTTLS and wants it before a login."""
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=certificate.server,
        require_starttls=True,
        authenticator=check_password,
        auth_required=True,
    )
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


async def test_starttls_with_login(
    starttls_server: tuple[int, Inbox], certificate: Certificate
) -> None:
    port, inbox = starttls_server
    mailer = SmtpMailer(
        "127.0.0.1",
        port,
        SENDER,
        security="starttls",
        username=USER,
        password=PASSWORD,
        timeout_s=5,
        tls_context=certificate.client,
    )

    await mailer.send("alice@example.org", "Sujet", "Texte")

    assert len(inbox.messages) == 1


async def test_starttls_with_an_untrusted_certificate(starttls_server: tuple[int, Inbox]) -> None:
    port, inbox = starttls_server
    mailer = SmtpMailer(
        "127.0.0.1", port, SENDER, username=USER, password=PASSWORD, timeout_s=5
    )  # the system's authorities do not know the test's certificate

    with pytest.raises(MailError, match="CERTIFICATE_VERIFY_FAILED"):
        await mailer.send("alice@example.org", "Sujet", "Texte")

    assert inbox.messages == []


async def test_implicit_tls(certificate: Certificate) -> None:
    inbox = Inbox()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=free_port(), ssl_context=certificate.server
    )
    controller.start()
    try:
        mailer = SmtpMailer(
            "127.0.0.1",
            controller.port,
            SENDER,
            security="tls",
            timeout_s=5,
            tls_context=certificate.client,
        )
        await mailer.send("alice@example.org", "Sujet", "Texte")
    finally:
        controller.stop()

    assert len(inbox.messages) == 1


# --- From the configuration ---------------------------------------------------------


def config_with(folder: Path, mail: dict[str, Any]) -> Any:
    write_registration(folder)
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(changed("mail", mail, VALID)), encoding="utf-8")
    return load_config(path, environ={**ENV, "SMTP_PASSWORD": PASSWORD})


def test_default_is_the_outbox_in_the_config_folder(tmp_path: Path) -> None:
    mailer = mailer_from_config(config_with(tmp_path, {}))

    assert isinstance(mailer, OutboxMailer)
    assert mailer.folder == tmp_path / "outbox"
    assert mailer.sender == "Ralliement <noreply@localhost>"


def test_smtp_from_config(tmp_path: Path) -> None:
    mail = {
        "transport": "SMTP",
        "from_address": SENDER,
        "host": "smtp.example.org",
        "port": 465,
        "security": "tls",
        "username": USER,
        "password": "${SMTP_PASSWORD}",
        "timeout_s": 10,
    }

    mailer = mailer_from_config(config_with(tmp_path, mail))

    assert isinstance(mailer, SmtpMailer)
    assert (mailer.host, mailer.port, mailer.security, mailer.username) == (
        "smtp.example.org",
        465,
        "tls",
        USER,
    )
    assert (mailer.sender, mailer.timeout_s) == (SENDER, 10)
    assert PASSWORD not in repr(mailer)
