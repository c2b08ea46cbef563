from django.core.management.base import BaseCommand, CommandError

from bench.corpus import generate as corpus


def _plain(text: str) -> str:
    return text


class ProgressBar:
    """'生成合成语料 123/500 政策 [#####...............] 24%' on stderr: redrawn in place on a terminal;
    in a log file or CI, one line per tenth, so the log stays short and readable."""

    WIDTH = 20

    def __init__(self, stream):
        self.stream = stream
        self.redraw = stream.isatty()
        self.tenths_shown = -1

    def __call__(self, done: int, total: int) -> None:
        percent = done * 100 // total
        filled = done * self.WIDTH // total
        line = f"生成合成语料 {done}/{total} 政策 [{'#' * filled}{'.' * (self.WIDTH - filled)}] {percent}%"
        # style_func: stderr is styled as an error on a terminal, and progress is not one.
        if self.redraw:
            self.stream.write("\r" + line, style_func=_plain, ending="\n" if done == total else "")
            self.stream.flush()
        elif percent // 10 > self.tenths_shown:
            self.tenths_shown = percent // 10
            self.stream.write(line, style_func=_plain)


class Command(BaseCommand):
    help = (
        "Generate a synthetic corpus for benchmarks: policies titled 【合成测试数据】 with slugs "
        "synthetic-<seed>-<n>, the same for the same seed. Only missing policies are created, so a corpus "
        "can grow. Refuses a database that holds real policies: point DATABASE_URL at a separate database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--policies", type=int, default=500, help="how many policies the corpus holds (500)")
        parser.add_argument(
            "--clauses-per-policy",
            type=int,
            default=200,
            help=f"clauses of each policy, spread over its {corpus.MEASURES_PER_POLICY} measures (200)",
        )
        parser.add_argument("--seed", type=int, default=2025, help="the corpus's seed: same seed, same content (2025)")

    def handle(self, *args, policies, clauses_per_policy, seed, verbosity, **options):
        if policies < 1:
            raise CommandError("--policies 至少为 1。 / --policies must be at least 1.")
        if clauses_per_policy < corpus.MIN_CLAUSES_PER_POLICY:
            minimum = corpus.MIN_CLAUSES_PER_POLICY
            raise CommandError(
                f"--clauses-per-policy 至少为 {minimum}（每条措施至少一段条款）。 / "
                f"--clauses-per-policy must be at least {minimum} (one clause for each measure)."
            )
        if seed < 0:
            raise CommandError("--seed 不能为负数。 / --seed cannot be negative.")

        self.stdout.write(f"写入数据库：{corpus.database_name()}")
        try:
            report = corpus.generate(
                seed=seed,
                policies=policies,
                clauses_per_policy=clauses_per_policy,
                progress=ProgressBar(self.stderr) if verbosity >= 1 else None,
                announce=self.announce if verbosity >= 1 else None,
            )
        except corpus.CorpusError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"合成语料（种子 {seed}）：新增 {report.policies} 项政策、{report.pillars} 个方面、"
            f"{report.measures} 条措施、{report.clauses} 段条款、{report.awards} 项奖补金额；"
            f"保留已有的 {report.kept_policies} 项政策；用时 {report.seconds:.1f} 秒。"
        )

    def announce(self, message: str) -> None:
        self.stderr.write(message, style_func=_plain)
