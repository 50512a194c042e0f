// OneGridMapping
