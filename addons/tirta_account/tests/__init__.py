from . import test_arrears
from . import test_cash_book
from . import test_collection
from . import test_consumption_nrw
from . import test_exports
from . import test_mis
from . import test_security
