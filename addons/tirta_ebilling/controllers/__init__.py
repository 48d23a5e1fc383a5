from . import portal
from . import bill_check
