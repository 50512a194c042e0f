// OneGridResolve
