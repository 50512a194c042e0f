// OneGridExport
