"""`make run`: the whole stack in the foreground, with demo data. Ctrl-C stops it."""
import os
import signal
import sys
import threading


def main() -> int:
    from devstack.stack import LocalStack

    moto_port = int(os.environ.get("REELBASE_MOTO_PORT", "5000"))
    api_port = int(os.environ.get("REELBASE_API_PORT", "8000"))
    stopping = threading.Event()
    # A background job inherits SIGINT as ignored: install the handlers explicitly.
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        stack = LocalStack(moto_port=moto_port, api_port=api_port).start()
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    from devstack import demo

    seeded = demo.seed()
    demo.seed_playlist(seeded)
    _print_banner(stack, seeded, demo)
    _print_zype_banner(stack, demo.seed_zype(seeded))
    print("Ctrl-C stops everything.", flush=True)
    threading.Thread(target=_echo_emails, args=(stack, stopping), name="emails", daemon=True).start()
    stopping.wait()
    print("stopping…", flush=True)
    stack.stop()
    return 0


def _print_banner(stack, seeded: dict, demo) -> None:
    api = f"{stack.api_url}/api"
    lines = [
        "",
        f"reelbase is serving on {api}  (moto, the local AWS, on {stack.moto_url})",
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
    ]
    print("\n".join(lines), flush=True)


def _echo_emails(stack, stopping: threading.Event) -> None:
    """Print each email SES (moto) accepted, so a person can follow its links."""
    import html
    import re

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
            print(f"\n--- email to {', '.join(email['destinations'].get('ToAddresses', []))}: {email['subject']}",
                  *(f"    {line}" for line in [text[:300], *(f"link: {url}" for url in links)]), sep="\n", flush=True)
        shown = len(emails)


def _print_zype_banner(stack, zype_demo: dict) -> None:
    lines = [
        f"publishing (Zype) API on {stack.api_url}  (demo studio keys; the app_key only reads):",
        f"  api_key {zype_demo['keys']['api_key']}",
        f"  app_key {zype_demo['keys']['app_key']}",
        f"  curl -s '{stack.api_url}/videos?api_key={zype_demo['keys']['api_key']}'",
        "",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    sys.exit(main())
