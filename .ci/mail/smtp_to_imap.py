#!/usr/bin/python3
"""A local SMTP server for Reach's tests: every message it accepts is appended to one IMAP mailbox.

Usage: smtp_to_imap.py LISTEN_HOST:PORT IMAP_HOST:PORT USER PASSWORD

The tests read what Reach sent from that mailbox, and drop replies into it for Reach's reply poller.
"""
import asyncio
import imaplib
import signal
import sys
import time

from aiosmtpd.controller import Controller


class AppendToImap:
    def __init__(self, imap_host, imap_port, user, password):
        self.imap = (imap_host, imap_port, user, password)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # An address at the "refused.example" domain is refused permanently, like a mailbox that does not exist.
        if address.lower().endswith("@refused.example"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        host, port, user, password = self.imap
        data = envelope.original_content or envelope.content
        try:
            imap = imaplib.IMAP4(host, port)
            imap.login(user, password)
            imap.append("INBOX", None, imaplib.Time2Internaldate(time.time()), data)
            imap.logout()
        except Exception as error:  # the mailbox is down: the sender must retry, so answer with a temporary failure
            return f"451 4.3.0 Mailbox unavailable: {error}"
        return "250 OK delivered"


def main():
    listen_host, listen_port = sys.argv[1].rsplit(":", 1)
    imap_host, imap_port = sys.argv[2].rsplit(":", 1)
    controller = Controller(AppendToImap(imap_host, int(imap_port), sys.argv[3], sys.argv[4]),
                            hostname=listen_host, port=int(listen_port))
    controller.start()
    print(f"smtp_to_imap listening on {listen_host}:{listen_port}", flush=True)
    stop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.call_soon_threadsafe(stop.stop))
    stop.run_forever()
    controller.stop()


if __name__ == "__main__":
    main()
