"""Sending email through SES. What an email says is decided by the services that send it.

Every email carries a text and an HTML part; links are written out in full in both, so a
reader whose client strips HTML (or a person reading the local stack's log) can use them."""
import html

from chalicelib import aws
from chalicelib.config import settings
from chalicelib.observability import add_metric, logger


def send(to: str, subject: str, paragraphs: list[str], links: list[tuple[str, str]] = ()) -> str:
    """Send one email; returns the SES message id. `links` are (label, url) pairs."""
    text = "\n\n".join([*paragraphs, *(f"{label}: {url}" for label, url in links)])
    body_html = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + "".join(
        f'<p><a href="{html.escape(url)}">{html.escape(label)}</a><br>{html.escape(url)}</p>' for label, url in links)
    # The configuration set (infra/resources.yaml) records bounces and complaints.
    configuration_set = settings().ses_configuration_set
    configuration = {"ConfigurationSetName": configuration_set} if configuration_set else {}
    try:
        answer = aws.client("ses").send_email(
            **configuration,
            Source=settings().ses_sender,
            Destination={"ToAddresses": [to]},
            Message={"Subject": {"Data": subject, "Charset": "UTF-8"},
                     "Body": {"Text": {"Data": text, "Charset": "UTF-8"},
                              "Html": {"Data": f"<html><body>{body_html}</body></html>", "Charset": "UTF-8"}}})
    except Exception:
        add_metric("EmailsFailed")
        raise
    add_metric("EmailsSent")
    logger.info("email sent", extra={"to": to, "subject": subject, "message_id": answer["MessageId"]})
    return answer["MessageId"]
