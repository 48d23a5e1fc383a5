from . import water_production_meter
from . import water_production_reading
