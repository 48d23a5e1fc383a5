"""A WARNING or ERROR logged while the suites run fails the run, as in Odoo's.

A test that provokes a warning on purpose captures it with ``assertLogs``,
which keeps it from reaching the root logger and so from this check.
"""

import logging

import pytest


class _WarningCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.lines = []

    def emit(self, record):
        self.lines.append(f"{record.levelname} {record.name}: {record.getMessage()}")


_collector = _WarningCollector()


def pytest_configure(config):
    # pytest-odoo starts Odoo with its loggers at CRITICAL, which hides the
    # start-up notice about importing the test framework outside test mode;
    # from here on, warnings are shown and counted.
    for name in ("odoo", "werkzeug"):
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger().addHandler(_collector)


def pytest_sessionfinish(session, exitstatus):
    logging.getLogger().removeHandler(_collector)
    if not _collector.lines:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter:
        reporter.section("WARNING/ERROR lines logged during the tests", red=True)
        for line in _collector.lines:
            reporter.write_line(line)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
