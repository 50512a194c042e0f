// OneGridWarehouse
