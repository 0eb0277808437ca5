"""`make run`: the whole stack in the foreground, with demo data.

Ctrl-C (or SIGTERM) stops everything within a few seconds, whatever requests are in
flight; a second Ctrl-C quits at once. `python -m devstack.serve --help` lists the ports
and switches (the tests start it on ports of their own, without the demo data)."""
import argparse
import os
import signal
import sys
import threading
import time

from devstack.stack import STOP_SECONDS


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m devstack.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--moto-port", type=int, default=int(os.environ.get("REELBASE_MOTO_PORT", "5000")),
                        help="moto, the local AWS (default: $REELBASE_MOTO_PORT or 5000)")
    parser.add_argument("--api-port", type=int, default=int(os.environ.get("REELBASE_API_PORT", "8000")),
                        help="the API (default: $REELBASE_API_PORT or 8000)")
    parser.add_argument("--no-demo", action="store_true", help="start empty: no demo studio, people or playlist")
    parser.add_argument("--json-logs", action="store_true", help="print the app's logs as the cloud has them (JSON)")
    return parser.parse_args(argv)


class Stopper:
    """The stop requests. The first SIGINT/SIGTERM asks the stack to stop (while it is
    starting, it interrupts the start); if the stop takes longer than its deadline, or a
    second signal comes, the process ends at once."""

    def __init__(self, seconds: float = STOP_SECONDS):
        self.seconds = seconds
        self.requested = threading.Event()
        self.serving = False
        # A background job inherits SIGINT as ignored: install the handlers explicitly.
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)

    def _on_signal(self, number, _frame) -> None:
        if self.requested.is_set():
            quit_now("second stop request: quitting at once", 130)
        self.requested.set()
        print(f"\nstopping… ({signal.Signals(number).name}; Ctrl-C again quits at once)", flush=True)
        threading.Thread(target=self._watchdog, name="stop-watchdog", daemon=True).start()
        if not self.serving:
            raise KeyboardInterrupt  # still starting: leave the start-up where it is

    def _watchdog(self) -> None:
        time.sleep(self.seconds)
        quit_now(f"not stopped after {self.seconds:.0f} s: quitting", 1)


def quit_now(message: str, code: int) -> None:
    print(message, flush=True)
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stopper = Stopper()
    from devstack import logs
    from devstack.stack import LocalStack

    if not args.json_logs:
        logs.prefer_short_lines()
    stack = LocalStack(moto_port=args.moto_port, api_port=args.api_port, short_logs=not args.json_logs)
    started = time.monotonic()
    try:
        try:
            stack.start()
        except RuntimeError as error:
            print(f"error: {error}", file=sys.stderr, flush=True)
            return 1
        banner = [_stack_banner(stack)]
        if not args.no_demo:
            banner.append(_demo_banner(stack))
        banner.append("Ctrl-C stops everything.")
        logs.print_block("\n".join(banner))
        threading.Thread(target=_echo_emails, args=(stack, stopper.requested), name="emails", daemon=True).start()
        stopper.serving = True
        stopper.requested.wait()
    except KeyboardInterrupt:
        stopper.requested.set()
    finally:
        stopping = time.monotonic()
        stack.stop()
    print(f"stopped in {time.monotonic() - stopping:.1f} s (up {time.monotonic() - started:.0f} s).", flush=True)
    return 0


def _stack_banner(stack) -> str:
    return "\n".join([
        "",
        f"reelbase is serving on {stack.api_url}/api  (moto, the local AWS, on {stack.moto_url})",
        f"publishing (Zype) API on {stack.api_url}",
        "",
    ])


def _demo_banner(stack) -> str:
    """Seeds the demo studio, then describes it: every line is ready before any prints,
    so the banner comes out whole."""
    from devstack import demo

    seeded = demo.seed()
    demo.seed_playlist(seeded)
    zype_demo = demo.seed_zype(seeded)
    review = demo.seed_share_link(seeded)
    api = f"{stack.api_url}/api"
    lines = [
        f"demo project: {seeded['project']['name']} ({seeded['project']['id']})",
        "",
        f"log in with any of these (password: {demo.DEMO_PASSWORD}):",
    ]
    tokens = {}
    for role, person in seeded["people"].items():
        tokens[role] = demo.tokens_for(person)["access_token"]
        lines.append(f"  {role:<10} {person['email']:<32} token: {tokens[role]}")
    manager = tokens["manager"]
    lines += [
        "",
        "try:",
        f"  curl -s {api}/data/projects -H 'Authorization: Bearer {manager}'",
        f"  curl -s '{api}/data/shots/all?project_id={seeded['project']['id']}' -H 'Authorization: Bearer {manager}'",
        f"  curl -s {api}/auth/login -H 'Content-Type: application/json' "
        f"-d '{{\"email\": \"manager@demo.reelbase.dev\", \"password\": \"{demo.DEMO_PASSWORD}\"}}'",
        "",
        f"demo playlist: {seeded['playlist']['name']} ({seeded['playlist']['id']}); build its movie with",
        f"  curl -s {api}/data/playlists/{seeded['playlist']['id']}/build/mp4 -H 'Authorization: Bearer {manager}'",
        "emails (SES, kept by moto) are printed here as they are sent, with their links.",
        "",
        f"review page of the demo playlist (a share link; password: {demo.DEMO_PASSWORD}, "
        f"ends {review['expiration_date'][:10]}):",
        f"  {stack.api_url}/review/{review['token']}",
        "",
        "publishing (Zype) API, demo studio keys (the app_key only reads):",
        f"  api_key {zype_demo['keys']['api_key']}",
        f"  app_key {zype_demo['keys']['app_key']}",
        f"  curl -s '{stack.api_url}/videos?api_key={zype_demo['keys']['api_key']}'",
        "",
    ]
    return "\n".join(lines)


def _echo_emails(stack, stopping: threading.Event) -> None:
    """Print each email SES (moto) accepted, so a person can follow its links."""
    import html
    import re

    from devstack import logs

    shown = 0
    while not stopping.wait(1):
        try:
            emails = stack.sent_emails()
        except Exception:  # the stack is stopping
            return
        for email in emails[shown:]:
            links = [html.unescape(url) for url in re.findall(r'href="([^"]+)"', email["body"])]
            text = html.unescape(re.sub(r"<[^>]+>", " ", email["body"]))
            text = re.sub(r"\s+", " ", re.sub(r"https?://\S+", "", text)).strip()
            logs.print_block("\n".join([
                f"\n--- email to {', '.join(email['destinations'].get('ToAddresses', []))}: {email['subject']}",
                *(f"    {line}" for line in [text[:300], *(f"link: {url}" for url in links)])]))
        shown = len(emails)


if __name__ == "__main__":
    exit_code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Threads still busy with a request (or an ffmpeg job) must not hold the exit.
    os._exit(exit_code)
