"""A team admin on a phone adds a webhook endpoint, copies the secret shown once and sends a
test message: the served worker delivers it to a real local receiver, which verifies it with
the standardwebhooks library; the delivery log then says "Delivered"."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from standardwebhooks.webhooks import Webhook

from learnloop.testing.receiver import running_receiver


def test_a_team_admin_adds_an_endpoint_and_a_test_message_arrives_signed(
    server, new_page, organisation, sign_in
) -> None:
    organisation()
    with running_receiver() as receiver:
        noor = new_page(viewport={"width": 390, "height": 844})
        sign_in(noor, "noor@clinic.test")
        noor.goto(server.url + "/teams/")
        noor.get_by_role("button", name="Webhooks").click()
        noor.get_by_role("button", name="Add an endpoint").click()
        noor.get_by_label("Address (URL)").fill(receiver.url + "/learnloop")
        noor.get_by_label(re.compile(r"incident\.reported:")).check()
        noor.get_by_role("button", name="Add endpoint").click()
        expect(noor.get_by_text("it is shown only this once")).to_be_visible()
        secret = noor.locator("#webhook-secret").inner_text().strip()
        assert secret.startswith("whsec_")
        noor.get_by_role("button", name="Done").click()
        expect(noor.get_by_text("Nothing sent yet.")).to_be_visible()
        assert secret not in noor.content()
        noor.get_by_role("button", name="Send a test message").click()
        expect(noor.get_by_text("A test message is queued")).to_be_visible()

        receiver.wait_for_count(1, timeout=30)
        [request] = receiver.requests
        message = Webhook(secret).verify(request.body, request.headers)
        assert message["type"] == "webhook.test" and request.path == "/learnloop"
        for _ in range(20):
            noor.reload()
            if noor.get_by_text("Delivered").count():
                break
            noor.wait_for_timeout(500)
        expect(noor.get_by_text("Delivered (HTTP 200)")).to_be_visible()
