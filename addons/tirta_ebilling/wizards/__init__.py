from . import water_counter
