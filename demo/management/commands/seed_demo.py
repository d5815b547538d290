from django.core.management.base import BaseCommand

from demo.builder import DemoBuilder


class Command(BaseCommand):
    help = (
        "Load the INA-IFC program with its phases, 16 anchors, 35 critical supply areas, the default maturity "
        "framework, demo logins and about 400 SMEs with diagnostics. Idempotent: running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=400, help="number of SMEs (default 400)")
        parser.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
        parser.add_argument(
            "--diagnosed-share", type=float, default=0.7, help="share of verified SMEs with a diagnostic (default 0.7)"
        )

        parser.add_argument(
            "--follow-up-rounds",
            type=int,
            default=0,
            help="bring the 2025 cohort to this many closed follow-up rounds (default: the demo's two)",
        )

    def handle(self, *args, size: int, seed: int, diagnosed_share: float, follow_up_rounds: int = 0, **options):
        if size < 0:
            self.stderr.write("--size must be zero or more")
            return
        builder = DemoBuilder(
            size=size,
            seed=seed,
            diagnosed_share=diagnosed_share,
            log=self.stdout.write,
            follow_ups=follow_up_rounds,
            timings=options.get("verbosity", 1) >= 2,
        )
        summary = builder.run()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready: {suppliers} SMEs ({created} new), {diagnostics} diagnostics, "
                "{anchors} anchors, {areas} supply areas.".format(**summary)
            )
        )
        self.stdout.write("Demo logins (user / password):")
        for role, (username, password) in builder.LOGINS.items():
            self.stdout.write(f"  {role:<16} {username} / {password}")
