from . import water_meter_replace
from . import water_reading_review
from . import water_import_common
from . import water_import_register
from . import water_import_reading
from . import water_penalty_waive
from . import water_expense_entry
