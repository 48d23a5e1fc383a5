from . import water_report_wizard
