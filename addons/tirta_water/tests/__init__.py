from . import test_tariff
from . import test_meter_reading
from . import test_billing
from . import test_security
from . import test_import_common
from . import test_import_register
from . import test_import_reading
