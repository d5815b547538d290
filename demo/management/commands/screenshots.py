"""``manage.py screenshots``: PNGs of the main pages at phone and desktop size in ``docs/screenshots/``.

Runs on the configured database: loads the demo data first when its logins are missing
(``seed_demo --size N``), serves SDP (pages and static files) on a local port from a thread, and
drives headless Chromium through Playwright, logging in as each demo user like a person would.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.wsgi import get_wsgi_application
from django.urls import reverse

from demo.builder import DemoBuilder

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
MAX_HEIGHT = {"phone": 4000, "desktop": 2400}  # a long list is cut there: the picture shows how it looks


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:  # the command reports what it writes, not each request
        pass


def _pages() -> dict[str, list[tuple[str, str]]]:
    """The pages to photograph for each login (None: logged out), as (file name, path) pairs."""
    from assessments.models import Diagnostic
    from cohorts.models import Cohort

    sme = get_user_model().objects.filter(username=DemoBuilder.LOGINS["SME"][0]).first()
    published = (
        Diagnostic.objects.filter(supplier__contacts__user=sme, published_at__isnull=False)
        .order_by("-scheduled_for", "-id")
        .first()
    )
    scored = Diagnostic.objects.filter(status__in=Diagnostic.SCORED_STATUSES).order_by("pk").first()
    cohort = Cohort.objects.order_by("pk").first()
    in_review = Cohort.objects.filter(status=Cohort.Status.ANCHOR_REVIEW).order_by("pk").first()
    pages: dict[str, list[tuple[str, str]]] = {
        "": [
            ("public-home", reverse("home")),
            ("public-login", reverse("login")),
            ("public-signup", reverse("suppliers:signup")),
            ("public-privacy-notice", reverse("suppliers:privacy")),
        ],
        "SME": [
            ("sme-account", reverse("suppliers:account")),
            ("sme-profile", reverse("suppliers:profile")),
            ("sme-my-data", reverse("privacy:my-data")),
        ],
        "program staff": [
            ("staff-registrations", reverse("suppliers:staff-list")),
            ("staff-diagnostics", reverse("assessments:staff-list")),
            ("staff-cohorts", reverse("cohorts:staff_cohorts")),
            ("staff-reports", reverse("reports:index")),
        ],
        "anchor reviewer": [("anchor-home", reverse("cohorts:anchor_home"))],
    }
    if published is not None:
        pages["SME"].insert(1, ("sme-results", reverse("assessments:sme-results", args=[published.pk])))
    if scored is not None:
        pages["program staff"].append(
            ("staff-diagnostic-results", reverse("assessments:staff-results", args=[scored.pk]))
        )
    if cohort is not None:
        pages["program staff"].append(("staff-cohort", reverse("cohorts:staff_cohort", args=[cohort.pk])))
    if in_review is not None:
        pages["anchor reviewer"].append(("anchor-cohort", reverse("cohorts:anchor_cohort", args=[in_review.pk])))
    return pages


class Command(BaseCommand):
    help = (
        "Write PNGs of the main public, SME, staff and anchor pages at phone (390x844) and desktop (1440x900) "
        "size into docs/screenshots/, from the demo data (loaded first with seed_demo when missing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "docs" / "screenshots"))
        parser.add_argument("--seed-size", type=int, default=60, help="SMEs to load when the demo data is missing")
        parser.add_argument("--chromium", default=os.environ.get("SDP_CHROMIUM", "/usr/bin/chromium"))
        parser.add_argument("--language", default="es-MX", help="the browser's language (default es-MX)")

    def handle(self, *args, out: str, seed_size: int, chromium: str, language: str, **options):
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:
            raise CommandError("Playwright is needed: pip install -r requirements-dev.txt") from exc
        if not os.path.exists(chromium):
            raise CommandError(f"Chromium not found at {chromium}: install it or pass --chromium")
        if not get_user_model().objects.filter(username=DemoBuilder.LOGINS["SME"][0]).exists():
            self.stdout.write(f"Loading the demo data (seed_demo --size {seed_size})...")
            call_command("seed_demo", size=seed_size, stdout=self.stdout)
        pages = _pages()
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)

        server = make_server(
            "127.0.0.1",
            0,
            StaticFilesHandler(get_wsgi_application()),
            server_class=_Server,
            handler_class=_QuietHandler,
        )
        base = f"http://127.0.0.1:{server.server_port}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        # Playwright runs an event loop in this thread; the ORM is not used while it runs.
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        written = 0
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
                )
                for size, viewport in VIEWPORTS.items():
                    for role, shots in pages.items():
                        context = browser.new_context(
                            viewport=viewport, device_scale_factor=1, is_mobile=size == "phone", locale=language
                        )
                        page = context.new_page()
                        if role:
                            username, password = DemoBuilder.LOGINS[role]
                            page.goto(base + reverse("login"))
                            page.fill("#id_username", username)
                            page.fill("#id_password", password)
                            page.locator("main form button[type=submit]").click()
                            page.wait_for_load_state()
                        for name, path in shots:
                            response = page.goto(base + path)
                            status = response.status if response else 0
                            if status != 200:
                                self.stderr.write(f"  {name} ({size}): HTTP {status}, skipped")
                                continue
                            target = folder / f"{name}-{size}.png"
                            height = page.evaluate("() => document.documentElement.scrollHeight")
                            clip = {"x": 0, "y": 0, "width": viewport["width"], "height": min(height, MAX_HEIGHT[size])}
                            page.screenshot(path=str(target), full_page=True, clip=clip)
                            written += 1
                            self.stdout.write(f"  {target}")
                        context.close()
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
        self.stdout.write(self.style.SUCCESS(f"{written} screenshots in {folder}"))
